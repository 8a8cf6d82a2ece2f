package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrackingSettingsTest {
    private static TrackingArgs parse(String line) {
        String[] words = line.split(" ");
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return TrackingArgs.parse(argv, id -> true);
    }

    private static String listFlags(TrackingSettings t) {
        StringBuilder f = new StringBuilder();
        t.appendClientListFlags(f);
        return f.toString();
    }

    @Test
    @DisplayName("ON replaces the mode, redirect and NOLOOP, keeps CLIENT CACHING's answer and clears a broken redirect")
    void turnOnReplacesTheMode() {
        TrackingSettings t = new TrackingSettings();
        t.turnOn(parse("client tracking on optin noloop redirect 4"));
        t.caching = true;
        t.brokenRedirect = true;
        t.turnOn(parse("client tracking on optin"));
        assertThat(t.enabled).isTrue();
        assertThat(t.optin).isTrue();
        assertThat(t.noloop).isFalse();
        assertThat(t.redirect).isZero();
        assertThat(t.caching).isTrue();
        assertThat(t.brokenRedirect).isFalse();
        assertThat(t.prefixes).isEmpty();
    }

    @Test
    @DisplayName("GETREDIR's redirect is -1 while off, the client id or 0 while on")
    void reportedRedirect() {
        TrackingSettings t = new TrackingSettings();
        assertThat(t.reportedRedirect()).isEqualTo(-1);
        t.turnOn(parse("client tracking on"));
        assertThat(t.reportedRedirect()).isZero();
        t.turnOn(parse("client tracking on redirect 42"));
        assertThat(t.reportedRedirect()).isEqualTo(42);
        t.clear();
        assertThat(t.reportedRedirect()).isEqualTo(-1);
    }

    @Test
    @DisplayName("CLIENT LIST flags: t, then R for a broken redirect and B for BCAST; none while off")
    void clientListFlags() {
        TrackingSettings t = new TrackingSettings();
        assertThat(listFlags(t)).isEmpty();
        t.turnOn(parse("client tracking on"));
        assertThat(listFlags(t)).isEqualTo("t");
        t.clear();
        t.turnOn(parse("client tracking on bcast prefix a"));
        t.brokenRedirect = true;
        assertThat(listFlags(t)).isEqualTo("tRB");
        t.clear();
        assertThat(listFlags(t)).isEmpty();
        assertThat(t.prefixes).isEmpty();
    }
}
