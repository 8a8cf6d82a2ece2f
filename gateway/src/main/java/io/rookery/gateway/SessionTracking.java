package io.rookery.gateway;

import io.rookery.protocol.tracking.TrackingSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * One gateway client's client-side caching: the settings CLIENT TRACKING gave it (shared with the node,
 * {@link TrackingSettings}) and what {@link Invalidations} keeps for it on the client's event loop.
 */
final class SessionTracking extends TrackingSettings {
    /** Keys this client read while tracking (default mode), as the loop's table remembers them. */
    final Set<KeyBytes> keys = new HashSet<>();
    /** When tracking was turned on, in the loop's sequence of tracking events (see {@link Invalidations}). */
    long enabledSeq;
}
