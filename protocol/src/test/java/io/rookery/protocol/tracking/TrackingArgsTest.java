package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackingArgsTest {
    /** Client ids 7 and Long.MIN_VALUE are connected; no other. */
    private static final LongPredicate CONNECTED = id -> id == 7 || id == Long.MIN_VALUE;

    private static byte[][] argv(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static TrackingArgs parse(String... words) {
        return TrackingArgs.parse(argv(words), CONNECTED);
    }

    private static String refusal(String... words) {
        try {
            parse(words);
        } catch (TrackingCommandError e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + String.join(" ", words));
    }

    @Test
    @DisplayName("every option is read, case-insensitively, with the PREFIX arguments in the order given")
    void readsEveryOption() {
        TrackingArgs a = parse("CLIENT", "TRACKING", "On", "redirect", "7", "BCAST", "prefix", "b", "PREFIX", "a",
                "optin", "OptOut", "NOLOOP");
        assertThat(a.on()).isTrue();
        assertThat(a.redirect()).isEqualTo(7);
        assertThat(a.bcast()).isTrue();
        assertThat(a.optin()).isTrue();
        assertThat(a.optout()).isTrue();
        assertThat(a.noloop()).isTrue();
        assertThat(a.prefixes()).extracting(p -> new String(p, StandardCharsets.UTF_8)).containsExactly("b", "a");
    }

    @Test
    @DisplayName("OFF with no options is off, to the connection itself, in no mode")
    void offAlone() {
        TrackingArgs a = parse("client", "tracking", "off");
        assertThat(a).extracting(TrackingArgs::on, TrackingArgs::redirect, TrackingArgs::bcast, TrackingArgs::optin,
                TrackingArgs::optout, TrackingArgs::noloop).containsExactly(false, 0L, false, false, false, false);
        assertThat(a.prefixes()).isEmpty();
    }

    @Test
    @DisplayName("REDIRECT takes any 64-bit integer that names a connected client, -9223372036854775808 too")
    void redirectTakesTheWholeRange() {
        assertThat(parse("client", "tracking", "on", "redirect", "-9223372036854775808").redirect()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    @DisplayName("REDIRECT refuses a non-integer, an unknown client and a second REDIRECT, with Redis's texts")
    void redirectErrors() {
        assertThat(refusal("client", "tracking", "on", "redirect", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(refusal("client", "tracking", "on", "redirect", "07")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(refusal("client", "tracking", "on", "redirect", "9223372036854775808"))
                .isEqualTo("ERR value is not an integer or out of range");
        assertThat(refusal("client", "tracking", "on", "redirect", "8")).isEqualTo("ERR The client ID you want redirect to does not exist");
        assertThat(refusal("client", "tracking", "on", "redirect", "0")).isEqualTo("ERR The client ID you want redirect to does not exist");
        assertThat(refusal("client", "tracking", "on", "redirect", "7", "redirect", "7"))
                .isEqualTo("ERR A client can only redirect to a single other client");
    }

    @Test
    @DisplayName("options are checked left to right before the ON/OFF word, as Redis does")
    void optionsBeforeTheMode() {
        assertThat(refusal("client", "tracking", "maybe", "redirect", "8", "bogus"))
                .isEqualTo("ERR The client ID you want redirect to does not exist");
        assertThat(refusal("client", "tracking", "on", "bogus", "redirect", "8")).isEqualTo("ERR syntax error");
        assertThat(refusal("client", "tracking", "maybe", "bcast")).isEqualTo("ERR syntax error");
        assertThat(refusal("client", "tracking", "maybe")).isEqualTo("ERR syntax error");
    }

    @Test
    @DisplayName("REDIRECT or PREFIX without its value is a syntax error")
    void missingValues() {
        assertThat(refusal("client", "tracking", "on", "redirect")).isEqualTo("ERR syntax error");
        assertThat(refusal("client", "tracking", "on", "bcast", "prefix")).isEqualTo("ERR syntax error");
    }

    @Test
    @DisplayName("the parsed prefixes are a copy: later changes to the caller's list do not reach them")
    void prefixesAreCopied() {
        List<byte[]> given = new ArrayList<>(List.of(new byte[] {'a'}));
        TrackingArgs a = new TrackingArgs(true, 0, true, false, false, false, given);
        given.clear();
        assertThat(a.prefixes()).hasSize(1);
    }
}
