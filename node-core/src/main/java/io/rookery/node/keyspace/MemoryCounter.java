package io.rookery.node.keyspace;

/**
 * The running total of bytes the keyspace holds (entries, keys, values, expiries), kept up to date
 * by every change so used_memory and the eviction check cost nothing. Collections report their own
 * growth and shrinkage here.
 */
public final class MemoryCounter {
    private long bytes;

    public void add(long delta) {
        bytes += delta;
    }

    public long bytes() {
        return bytes;
    }
}
