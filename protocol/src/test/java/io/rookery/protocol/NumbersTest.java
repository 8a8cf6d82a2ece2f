package io.rookery.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {

    private static boolean valid(String s) {
        return Numbers.isLong(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void integersFollowRedisString2ll() {
        assertThat(valid("0")).isTrue();
        assertThat(valid("-1")).isTrue();
        assertThat(valid("9223372036854775807")).isTrue();
        assertThat(valid("-9223372036854775808")).isTrue();
        assertThat(valid("9223372036854775808")).isFalse();
        assertThat(valid("01")).isFalse();
        assertThat(valid("+1")).isFalse();
        assertThat(valid(" 1")).isFalse();
        assertThat(valid("1 ")).isFalse();
        assertThat(valid("-")).isFalse();
        assertThat(valid("-0")).isFalse();
        assertThat(valid("")).isFalse();
        assertThat(valid("1e3")).isFalse();
        assertThat(Numbers.parseLong("-42".getBytes())).isEqualTo(-42);
    }

    @Test
    void writeLongMatchesToString() {
        long[] samples = {0, 9, 10, 9999, 10000, -1, -10000, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L};
        for (long v : samples) {
            ByteBuf b = Unpooled.buffer();
            Numbers.writeLong(b, v);
            assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }
}
