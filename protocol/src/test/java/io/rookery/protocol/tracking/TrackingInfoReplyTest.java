package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackingInfoReplyTest {
    private static String reply(int protocol, TrackingSettings t) {
        ByteBuf buf = Unpooled.buffer();
        RespWriter w = new RespWriter().target(buf);
        w.protocol(protocol);
        TrackingInfoReply.write(t, w);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static TrackingArgs on(String... options) {
        byte[][] argv = new byte[options.length + 3][];
        argv[0] = "client".getBytes(StandardCharsets.UTF_8);
        argv[1] = "tracking".getBytes(StandardCharsets.UTF_8);
        argv[2] = "on".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < options.length; i++) {
            argv[i + 3] = options[i].getBytes(StandardCharsets.UTF_8);
        }
        return TrackingArgs.parse(argv, id -> true);
    }

    @Test
    @DisplayName("tracking off: flags [off], redirect -1, no prefixes; a map under RESP3, flat under RESP2")
    void off() {
        TrackingSettings t = new TrackingSettings();
        t.redirect = 5; // left from before: not reported while off
        assertThat(reply(3, t)).isEqualTo("%3\r\n$5\r\nflags\r\n~1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n"
                + "$8\r\nprefixes\r\n*0\r\n");
        assertThat(reply(2, t)).isEqualTo("*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n"
                + "$8\r\nprefixes\r\n*0\r\n");
    }

    @Test
    @DisplayName("BCAST lists its prefixes in byte order, whatever order they were given in")
    void bcastPrefixesInByteOrder() {
        TrackingSettings t = new TrackingSettings();
        t.turnOn(on("bcast", "prefix", "b", "prefix", "a", "noloop", "redirect", "9"));
        t.turnOn(on("bcast", "prefix", "\u00ff", "prefix", "B"));
        assertThat(reply(3, t)).isEqualTo("%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n"
                + "$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*4\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\n\u00ff\r\n");
    }

    @Test
    @DisplayName("every flag, in Redis's order, with the CLIENT CACHING answer after its mode")
    void allFlagsInOrder() {
        TrackingSettings optin = new TrackingSettings();
        optin.turnOn(on("optin", "noloop", "redirect", "12"));
        optin.caching = true;
        optin.brokenRedirect = true;
        assertThat(reply(3, optin)).isEqualTo("%3\r\n$5\r\nflags\r\n~5\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n"
                + "$6\r\nnoloop\r\n$15\r\nbroken_redirect\r\n$8\r\nredirect\r\n:12\r\n$8\r\nprefixes\r\n*0\r\n");
        TrackingSettings optout = new TrackingSettings();
        optout.turnOn(on("optout"));
        optout.caching = true;
        assertThat(reply(3, optout)).isEqualTo("%3\r\n$5\r\nflags\r\n~3\r\n$2\r\non\r\n$6\r\noptout\r\n$10\r\ncaching-no\r\n"
                + "$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
    }

    @Test
    @DisplayName("BCAST without PREFIX registers the empty prefix; a repeated prefix is listed once")
    void emptyPrefixAndRepeats() {
        TrackingSettings t = new TrackingSettings();
        t.turnOn(on("bcast"));
        t.turnOn(on("bcast"));
        assertThat(t.prefixes).hasSize(1);
        assertThat(Arrays.equals(t.prefixes.iterator().next(), new byte[0])).isTrue();
        assertThat(reply(3, t)).endsWith("$8\r\nprefixes\r\n*1\r\n$0\r\n\r\n");
    }
}
