package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackingCompatibilityTest {
    private static final String BCAST_SWITCH = "ERR You can't switch BCAST mode on/off before disabling tracking for "
            + "this client, and then re-enabling it with a different mode.";
    private static final String OPT_SWITCH = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for "
            + "this client, and then re-enabling it with a different mode.";

    private static TrackingArgs on(String... options) {
        String[] words = new String[options.length + 3];
        words[0] = "client";
        words[1] = "tracking";
        words[2] = "on";
        System.arraycopy(options, 0, words, 3, options.length);
        byte[][] argv = Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return TrackingArgs.parse(argv, id -> true);
    }

    /** Settings after the given ON, as a connection would have them. */
    private static TrackingSettings after(String... options) {
        TrackingSettings s = new TrackingSettings();
        s.turnOn(on(options));
        return s;
    }

    private static String refusal(TrackingArgs on, TrackingSettings current) {
        try {
            TrackingCompatibility.check(on, current);
        } catch (TrackingCommandError e) {
            return e.getMessage();
        }
        return null;
    }

    @Test
    @DisplayName("each refused combination gets Redis's text")
    void refusedCombinations() {
        TrackingSettings off = new TrackingSettings();
        assertThat(refusal(on("prefix", "a"), off)).isEqualTo("ERR PREFIX option requires BCAST mode to be enabled");
        assertThat(refusal(on("bcast", "optin"), off)).isEqualTo("ERR OPTIN and OPTOUT are not compatible with BCAST");
        assertThat(refusal(on("bcast", "optout"), off)).isEqualTo("ERR OPTIN and OPTOUT are not compatible with BCAST");
        assertThat(refusal(on("optin", "optout"), off)).isEqualTo("ERR You can't specify both OPTIN mode and OPTOUT mode");
        assertThat(refusal(on(), after("bcast"))).isEqualTo(BCAST_SWITCH);
        assertThat(refusal(on("bcast"), after())).isEqualTo(BCAST_SWITCH);
        assertThat(refusal(on("optout"), after("optin"))).isEqualTo(OPT_SWITCH);
        assertThat(refusal(on("optin"), after("optout"))).isEqualTo(OPT_SWITCH);
    }

    @Test
    @DisplayName("the first failing check wins, in Redis's order")
    void redisOrder() {
        assertThat(refusal(on("prefix", "a", "optin", "optout"), after("bcast")))
                .isEqualTo("ERR PREFIX option requires BCAST mode to be enabled");
        assertThat(refusal(on("optin", "optout"), after("bcast"))).isEqualTo(BCAST_SWITCH);
        assertThat(refusal(on("bcast", "optin", "optout"), off())).isEqualTo("ERR OPTIN and OPTOUT are not compatible with BCAST");
        assertThat(refusal(on("optin", "optout"), after("optin"))).isEqualTo("ERR You can't specify both OPTIN mode and OPTOUT mode");
        assertThat(refusal(on("bcast", "prefix", "a", "prefix", "ab", "optin"), off()))
                .isEqualTo("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }

    @Test
    @DisplayName("the same mode again, another redirect or NOLOOP, and any mode after OFF are accepted")
    void accepted() {
        assertThatCode(() -> TrackingCompatibility.check(on("optin", "noloop"), after("optin"))).doesNotThrowAnyException();
        assertThatCode(() -> TrackingCompatibility.check(on("bcast", "prefix", "b"), after("bcast", "prefix", "a")))
                .doesNotThrowAnyException();
        TrackingSettings cleared = after("bcast", "prefix", "a");
        cleared.clear();
        assertThatCode(() -> TrackingCompatibility.check(on("optout"), cleared)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("BCAST prefixes are checked for overlaps with the connection's own")
    void bcastChecksPrefixes() {
        assertThat(refusal(on("bcast", "prefix", "FO"), after("bcast", "prefix", "FOO")))
                .isEqualTo("ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap.");
        assertThat(refusal(on("bcast", "prefix", "x"), after("bcast")))
                .isEqualTo("ERR Prefix 'x' overlaps with an existing prefix ''. Prefixes for a single client must not overlap.");
    }

    private static TrackingSettings off() {
        return new TrackingSettings();
    }
}
