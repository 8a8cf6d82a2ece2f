package io.rookery.node.eviction;

import io.rookery.node.config.NodeConfig;

/**
 * The memory limit the node actually holds used memory to: {@code maxmemory} when it is set and the
 * heap can hold it, else a limit derived from the JVM's maximum heap. Redis with {@code maxmemory 0}
 * can grow until the machine runs out; a JVM stops at {@code -Xmx}, and an {@link OutOfMemoryError}
 * there can strike any thread mid-update. So the node refuses writes with Redis's OOM error (and
 * evicts, when a policy is set) before that point, keeping {@link #HEAP_FRACTION} of the heap for
 * data and the rest for what used_memory does not count: garbage the collector has not reclaimed
 * yet, request and reply buffers, snapshot chunks on their way to disk, and the estimate's error.
 * INFO and CONFIG GET keep showing the configured {@code maxmemory}; this is logged at start-up.
 */
public final class MemoryLimit {
    /** Share of the maximum heap data may use: G1 needs free regions to copy into, buffers need room. */
    public static final double HEAP_FRACTION = 0.7;

    private final NodeConfig config;
    private final long heapCap;
    private final long maxHeap;

    /** {@code maxHeap} is what the JVM may grow to ({@link Runtime#maxMemory()}); Long.MAX_VALUE for no bound. */
    public MemoryLimit(NodeConfig config, long maxHeap) {
        this.config = config;
        this.maxHeap = maxHeap;
        this.heapCap = maxHeap == Long.MAX_VALUE ? Long.MAX_VALUE : (long) (maxHeap * HEAP_FRACTION);
    }

    public static MemoryLimit ofThisJvm(NodeConfig config) {
        return new MemoryLimit(config, Runtime.getRuntime().maxMemory());
    }

    /** The limit in bytes; Long.MAX_VALUE when there is none (no maxmemory and an unbounded heap). */
    public long effective() {
        long configured = config.maxmemory;
        return configured > 0 && configured <= heapCap ? configured : heapCap;
    }

    /** True when the heap, not {@code maxmemory}, sets the limit. */
    public boolean derivedFromHeap() {
        long configured = config.maxmemory;
        return heapCap != Long.MAX_VALUE && (configured <= 0 || configured > heapCap);
    }

    /** The start-up log line stating the limit and where it comes from. */
    public String describe() {
        if (!derivedFromHeap()) {
            return "Memory limit: maxmemory " + config.maxmemory + " bytes";
        }
        String why = config.maxmemory <= 0 ? "maxmemory is 0"
                : "maxmemory " + config.maxmemory + " is more than the heap can hold";
        return "Memory limit: " + heapCap + " bytes (" + Math.round(HEAP_FRACTION * 100) + "% of the max heap of "
                + maxHeap + " bytes) because " + why + "; writes get OOM errors past it"
                + " (raise -Xmx to hold more data)";
    }
}
