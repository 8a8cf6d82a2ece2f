package io.rookery.protocol.tracking;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * One connection's client-side caching settings, as CLIENT TRACKING and CLIENT CACHING set them
 * (Redis's {@code CLIENT_TRACKING*} flags, {@code client_tracking_redirection} and
 * {@code client_tracking_prefixes}): on or off, where invalidations go, the broadcasting mode and its
 * prefixes, OPTIN/OPTOUT with the CLIENT CACHING answer for the next command, and NOLOOP.
 *
 * <p>Written by the connection's own thread. The flags CLIENT LIST shows (on, broken redirect, BCAST,
 * the redirect) are volatile because the gateway lists a client from another client's event loop.
 * Who cached what is the server's business (the node's {@code KeyTracking}, the gateway's
 * {@code Invalidations}), not this class's.
 */
public class TrackingSettings {
    public volatile boolean enabled;
    /** BCAST: invalidations for every key under a prefix, nothing remembered per key. */
    public volatile boolean bcast;
    public boolean optin;
    public boolean optout;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) was given for the next command. */
    public boolean caching;
    /** NOLOOP: no invalidations for keys this connection changed itself. */
    public boolean noloop;
    /** The redirect client went away: invalidations cannot be delivered. */
    public volatile boolean brokenRedirect;
    /** The client id invalidations are sent to; 0 for this connection itself. */
    public volatile long redirect;
    /**
     * The BCAST prefixes in byte order, as Redis's radix tree holds them: TRACKINGINFO lists them and
     * the overlap check meets them in this order. An empty prefix matches every key.
     */
    public final Set<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);

    /**
     * Turns tracking on (again) with checked options (see {@link TrackingCompatibility}): redirect 0
     * means the connection itself; BCAST adds the given prefixes to those it had, or the empty prefix
     * when none is given. CLIENT CACHING's answer stays as it was.
     */
    public void turnOn(TrackingArgs on) {
        brokenRedirect = false;
        redirect = on.redirect();
        bcast = on.bcast();
        optin = on.optin();
        optout = on.optout();
        noloop = on.noloop();
        if (on.bcast()) {
            if (on.prefixes().isEmpty()) {
                prefixes.add(new byte[0]);
            }
            prefixes.addAll(on.prefixes());
        }
        enabled = true;
    }

    /** The redirect as GETREDIR, TRACKINGINFO and CLIENT LIST's {@code redir=} report it: -1 while off. */
    public long reportedRedirect() {
        return enabled ? redirect : -1;
    }

    /**
     * Appends CLIENT LIST's tracking flags, as Redis's getClientInfoString writes them one after the
     * other: t (tracking on), R (broken redirect), B (BCAST); nothing while tracking is off.
     */
    public void appendClientListFlags(StringBuilder flags) {
        if (enabled) {
            flags.append('t');
            if (brokenRedirect) {
                flags.append('R');
            }
            if (bcast) {
                flags.append('B');
            }
        }
    }

    /** Back to "tracking off". */
    public void clear() {
        enabled = false;
        bcast = false;
        optin = false;
        optout = false;
        caching = false;
        noloop = false;
        brokenRedirect = false;
        redirect = 0;
        prefixes.clear();
    }
}
