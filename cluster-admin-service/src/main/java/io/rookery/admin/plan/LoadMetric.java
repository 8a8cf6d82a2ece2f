package io.rookery.admin.plan;

/**
 * A per-slot load figure. Rookery reports all of them through {@code CLUSTER SLOT-STATS}; real Redis 7.0 has no
 * SLOT-STATS, so from it only {@link #KEYS} is known (via {@code CLUSTER COUNTKEYSINSLOT}), if anything.
 */
public enum LoadMetric {
    /** {@code key-count}. */
    KEYS,
    /** Bytes of memory held by the slot's keys. */
    MEMORY_BYTES,
    /** {@code cpu-usec}: CPU time spent on the slot's commands. */
    CPU_USEC,
    /** {@code network-bytes-in}. */
    NETWORK_BYTES_IN,
    /** {@code network-bytes-out}. */
    NETWORK_BYTES_OUT,
    /** In plus out: not reported by itself, derived from the two above. */
    NETWORK_BYTES
}
