package io.rookery.node.info;

import io.rookery.node.keyspace.Keyspace;

/**
 * INFO used_memory, what maxmemory is compared against: the keyspace's estimate of its keys, values
 * and expiry entries (see MemoryEstimate) plus the node's baseline. used_memory_rss is the process's
 * real resident size and used_memory_heap what the JVM heap holds, garbage included; both come from
 * {@link ProcessStats}. Read on the command thread.
 */
public final class MemoryUsage {
    private static final long BASELINE = 1024 * 1024;
    private final Keyspace keyspace;
    private long peak;

    public MemoryUsage(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** used_memory now; also moves the peak. */
    public long used() {
        long used = BASELINE + keyspace.memory();
        if (used > peak) {
            peak = used;
        }
        return used;
    }

    /** used_memory_peak. */
    public long peak() {
        return peak;
    }

    /** used_memory_overhead and used_memory_startup: what an empty node accounts for. */
    public long baseline() {
        return BASELINE;
    }
}
