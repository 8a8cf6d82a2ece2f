package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrefixCollisionsTest {
    private static List<byte[]> bytes(String... s) {
        return Arrays.stream(s).map(x -> x.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static String refusal(Collection<byte[]> existing, List<byte[]> added) {
        try {
            PrefixCollisions.check(existing, added);
        } catch (TrackingCommandError e) {
            return e.getMessage();
        }
        return null;
    }

    @Test
    @DisplayName("a new prefix overlapping one of the connection's is refused, either way round")
    void overlapsAnExisting() {
        assertThat(refusal(bytes("FOO"), bytes("FO")))
                .isEqualTo("ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap.");
        assertThat(refusal(bytes("FO"), bytes("FOOBAR")))
                .isEqualTo("ERR Prefix 'FOOBAR' overlaps with an existing prefix 'FO'. Prefixes for a single client must not overlap.");
        assertThat(refusal(bytes("a"), bytes("a")))
                .isEqualTo("ERR Prefix 'a' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.");
    }

    @Test
    @DisplayName("two new prefixes that overlap are refused, named in the order given")
    void overlapsAnotherNew() {
        assertThat(refusal(List.of(), bytes("FOOBAR", "x", "FOO")))
                .isEqualTo("ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'. Prefixes for a single client must not overlap.");
    }

    @Test
    @DisplayName("for each new prefix the existing ones come first, in the settings' byte order")
    void existingFirstInByteOrder() {
        TrackingSettings s = new TrackingSettings();
        s.prefixes.addAll(bytes("ac", "ab"));
        assertThat(refusal(s.prefixes, bytes("a", "a")))
                .isEqualTo("ERR Prefix 'a' overlaps with an existing prefix 'ab'. Prefixes for a single client must not overlap.");
    }

    @Test
    @DisplayName("prefixes that share a start but neither begins the other are apart")
    void apart() {
        assertThatCode(() -> PrefixCollisions.check(bytes("user:1", "user:3"), bytes("user:2", "order:")))
                .doesNotThrowAnyException();
    }
}
