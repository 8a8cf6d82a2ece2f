package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidationFramesTest {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void anInvalidationIsAPushUnderResp3AndAnInvalidateChannelMessageUnderResp2() {
        List<byte[]> keys = List.of("a".getBytes(), "bc".getBytes());
        assertThat(text(InvalidationFrames.invalidate(3, keys)))
                .isEqualTo(">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$2\r\nbc\r\n");
        assertThat(text(InvalidationFrames.invalidate(2, keys)))
                .isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*2\r\n$1\r\na\r\n$2\r\nbc\r\n");
    }

    @Test
    void aFlushInvalidatesWithTheNullOfTheReceiversProtocol() {
        assertThat(text(InvalidationFrames.invalidate(3, null))).isEqualTo(">2\r\n$10\r\ninvalidate\r\n_\r\n");
        assertThat(text(InvalidationFrames.invalidate(2, null)))
                .isEqualTo("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n");
    }

    @Test
    void aBrokenRedirectIsReportedWithTheRedirectId() {
        assertThat(text(InvalidationFrames.redirectBroken(42))).isEqualTo(">2\r\n$21\r\ntracking-redir-broken\r\n:42\r\n");
    }

    @Test
    void aBackendsPushIsReadAsItsKeysOrAsAFlush() throws Exception {
        InvalidationFrames.Invalidation keys = InvalidationFrames.read(
                buf(">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$4\r\nb\r\nc\r\n"), 0);
        assertThat(keys.all()).isFalse();
        assertThat(keys.keys()).extracting(k -> new String(k, StandardCharsets.US_ASCII)).containsExactly("a", "b\r\nc");
        assertThat(InvalidationFrames.read(buf(">2\r\n$10\r\ninvalidate\r\n_\r\n"), 0).all()).isTrue();
    }

    @Test
    void otherFramesAreNoInvalidation() throws Exception {
        assertThat(InvalidationFrames.read(buf("+OK\r\n"), 0)).isNull();
        assertThat(InvalidationFrames.read(buf(">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n"), 0)).isNull();
        assertThat(InvalidationFrames.read(buf(">2\r\n$21\r\ntracking-redir-broken\r\n:4\r\n"), 0)).isNull();
    }
}
