package io.rookery.protocol.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CachingCheckTest {
    private static String refusal(String answer, TrackingSettings current) {
        try {
            CachingCheck.check(answer.getBytes(StandardCharsets.UTF_8), current);
        } catch (TrackingCommandError e) {
            return e.getMessage();
        }
        return null;
    }

    private static TrackingSettings tracking(boolean optin, boolean optout) {
        TrackingSettings s = new TrackingSettings();
        s.enabled = true;
        s.optin = optin;
        s.optout = optout;
        return s;
    }

    @Test
    @DisplayName("tracking off is refused first, whatever the answer")
    void offFirst() {
        String off = "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled";
        assertThat(refusal("yes", new TrackingSettings())).isEqualTo(off);
        assertThat(refusal("bogus", new TrackingSettings())).isEqualTo(off);
    }

    @Test
    @DisplayName("YES needs OPTIN and NO needs OPTOUT, any case; another word is a syntax error")
    void answerMustFitTheMode() {
        assertThat(refusal("Yes", tracking(true, false))).isNull();
        assertThat(refusal("no", tracking(false, true))).isNull();
        assertThat(refusal("YES", tracking(false, true)))
                .isEqualTo("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        assertThat(refusal("no", tracking(false, false)))
                .isEqualTo("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        assertThat(refusal("maybe", tracking(true, false))).isEqualTo("ERR syntax error");
    }
}
