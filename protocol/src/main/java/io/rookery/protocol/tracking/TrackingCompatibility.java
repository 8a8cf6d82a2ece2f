package io.rookery.protocol.tracking;

/**
 * Whether a CLIENT TRACKING ON may be applied: its options must agree with each other and with the
 * connection's current settings. The checks and their texts are redis-server 7.0's, in its order.
 */
public final class TrackingCompatibility {
    private TrackingCompatibility() {
    }

    /**
     * Refuses {@code on} (a parsed ON) when PREFIX is given without BCAST, when it would switch BCAST on
     * or off while tracking is on, when it combines BCAST with OPTIN/OPTOUT or OPTIN with OPTOUT, when it
     * would switch between OPTIN and OPTOUT, or (BCAST) when a prefix overlaps ({@link PrefixCollisions}).
     *
     * @throws TrackingCommandError with the first failing check's error
     */
    public static void check(TrackingArgs on, TrackingSettings current) {
        if (!on.bcast() && !on.prefixes().isEmpty()) {
            throw new TrackingCommandError("ERR PREFIX option requires BCAST mode to be enabled");
        }
        if (current.enabled && current.bcast != on.bcast()) {
            throw new TrackingCommandError("ERR You can't switch BCAST mode on/off before disabling tracking for "
                    + "this client, and then re-enabling it with a different mode.");
        }
        if (on.bcast() && (on.optin() || on.optout())) {
            throw new TrackingCommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
        }
        if (on.optin() && on.optout()) {
            throw new TrackingCommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
        }
        if (on.optin() && current.optout || on.optout() && current.optin) {
            throw new TrackingCommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for "
                    + "this client, and then re-enabling it with a different mode.");
        }
        if (on.bcast()) {
            PrefixCollisions.check(current.prefixes, on.prefixes());
        }
    }
}
