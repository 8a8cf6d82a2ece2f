package io.rookery.gateway;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One gateway client's client-side caching options, as CLIENT TRACKING set them (Redis's
 * {@code CLIENT_TRACKING*} flags), and the keys the gateway remembers it may cache. Written on the
 * client's event loop; CLIENT LIST on another client's loop only reads the flags.
 */
final class TrackingOptions {
    volatile boolean enabled;
    /** BCAST: invalidations for every key under a prefix, nothing remembered per key. */
    volatile boolean bcast;
    boolean optin;
    boolean optout;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) was given for the next command. */
    boolean caching;
    boolean noloop;
    /** The redirect client went away: invalidations cannot be delivered. */
    volatile boolean brokenRedirect;
    /** The gateway client id invalidations are sent to; 0 for this connection itself. */
    volatile long redirect;
    /** BCAST prefixes, in the order given (an empty prefix matches every key). */
    final List<byte[]> prefixes = new ArrayList<>();
    /** Keys this client read while tracking (default mode), as the loop's table remembers them. */
    final Set<KeyBytes> keys = new HashSet<>();
    /** When tracking was turned on, in the loop's sequence of tracking events (see {@link Invalidations}). */
    long enabledSeq;

    /** Back to "tracking off" (the remembered keys are dropped by {@link Invalidations}). */
    void clear() {
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
