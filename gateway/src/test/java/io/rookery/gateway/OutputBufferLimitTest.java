package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutputBufferLimitTest {

    @Test
    void parsesRedisFormWithItsMemoryUnits() {
        assertThat(OutputBufferLimit.parse("32mb 8mb 60")).isEqualTo(OutputBufferLimit.PUBSUB_DEFAULT);
        assertThat(OutputBufferLimit.parse("0 0 0")).isEqualTo(OutputBufferLimit.NORMAL_DEFAULT);
        assertThat(OutputBufferLimit.parse("1k 2kb 3")).isEqualTo(new OutputBufferLimit(1000, 2048, 3));
        assertThat(OutputBufferLimit.parse(" 1GB  1m 0 ")).isEqualTo(new OutputBufferLimit(1L << 30, 1_000_000, 0));
        assertThatThrownBy(() -> OutputBufferLimit.parse("1mb 2mb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutputBufferLimit.parse("-1 0 0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHardLimitCutsOffAtOnceTheSoftOneAfterItsSeconds() {
        OutputBufferLimit l = new OutputBufferLimit(1000, 100, 2);
        assertThat(l.exceeded(1000, 0, 0)).isTrue();
        long since = l.softSince(150, 0, 10_000);
        assertThat(since).isEqualTo(10_000);
        assertThat(l.exceeded(150, since, 11_999)).isFalse();
        assertThat(l.exceeded(150, since, 12_000)).isTrue();
        assertThat(l.softSince(50, since, 11_000)).isZero();
        assertThat(OutputBufferLimit.NORMAL_DEFAULT.exceeded(Long.MAX_VALUE, 1, Long.MAX_VALUE)).isFalse();
    }
}
