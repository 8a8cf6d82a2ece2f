package io.rookery.protocol.tracking;

/**
 * {@code CLIENT CACHING <YES | NO>}'s checks, redis-server 7.0's texts in its order: tracking must be on,
 * YES needs OPTIN and NO needs OPTOUT. The caller then sets {@link TrackingSettings#caching} for the
 * next command and answers OK.
 */
public final class CachingCheck {
    private CachingCheck() {
    }

    /**
     * @param answer YES or NO, any case
     * @throws TrackingCommandError when tracking is off, the answer does not fit the mode, or it is neither word
     */
    public static void check(byte[] answer, TrackingSettings current) {
        if (!current.enabled) {
            throw new TrackingCommandError("ERR CLIENT CACHING can be called only when the client is in tracking "
                    + "mode with OPTIN or OPTOUT mode enabled");
        }
        if (TrackingArgs.is(answer, "yes")) {
            if (!current.optin) {
                throw new TrackingCommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (TrackingArgs.is(answer, "no")) {
            if (!current.optout) {
                throw new TrackingCommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw new TrackingCommandError("ERR syntax error");
        }
    }
}
