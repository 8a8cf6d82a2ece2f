package io.rookery.node.client;

import io.rookery.node.keyspace.BinaryKey;
import java.util.Set;
import java.util.TreeSet;

/**
 * One connection's client-side caching options, as CLIENT TRACKING set them (Redis's
 * {@code CLIENT_TRACKING*} flags): on or off, where invalidations go, the broadcasting mode and its
 * prefixes, OPTIN/OPTOUT with the CLIENT CACHING answer for the next command, and NOLOOP.
 * The server-wide table of who cached what lives in {@code tracking.KeyTracking}.
 */
public final class TrackingState {
    public boolean enabled;
    /** BCAST: invalidations for every key under a prefix, nothing remembered per key. */
    public boolean bcast;
    public boolean optin;
    public boolean optout;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) was given for the next command. */
    public boolean caching;
    /** NOLOOP: no invalidations for keys this connection changed itself. */
    public boolean noloop;
    /** The redirect client went away: invalidations cannot be delivered. */
    public boolean brokenRedirect;
    /** The client id invalidations are sent to; 0 for this connection itself. */
    public long redirect;
    /** The BCAST prefixes, in byte order (an empty prefix matches every key). */
    public final Set<BinaryKey> prefixes = new TreeSet<>();

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
