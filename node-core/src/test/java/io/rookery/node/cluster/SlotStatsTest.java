package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotStatsTest {

    private static byte[][] args(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void requestBytesAreTheSizeOfTheCommandAsARespArrayOfBulkStrings() {
        assertThat(SlotStats.requestBytes(args("SET", "k", "v"))).isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".length());
        String big = "x".repeat(12345);
        assertThat(SlotStats.requestBytes(args("GET", big))).isEqualTo(("*2\r\n$3\r\nGET\r\n$12345\r\n" + big + "\r\n").length());
        byte[][] many = new byte[10][];
        java.util.Arrays.fill(many, new byte[0]);
        assertThat(SlotStats.requestBytes(many)).isEqualTo("*10\r\n".length() + 10 * "$0\r\n\r\n".length());
    }

    @Test
    void admittedCommandsCountTheirRequestBytesOnlyWhileEnabled() {
        SlotStats stats = new SlotStats(false);
        stats.admitted(7, args("SET", "k", "v"));
        assertThat(stats.networkBytesIn(7)).isZero();
        stats.enabled(true);
        stats.admitted(7, args("SET", "k", "v"));
        stats.admitted(-1, args("PING"));
        assertThat(stats.networkBytesIn(7)).isEqualTo(27);
        stats.resetSlot(7);
        assertThat(stats.networkBytesIn(7)).isZero();
        stats.admitted(8, args("SET", "k", "v"));
        stats.reset();
        assertThat(stats.networkBytesIn(8)).isZero();
    }
}
