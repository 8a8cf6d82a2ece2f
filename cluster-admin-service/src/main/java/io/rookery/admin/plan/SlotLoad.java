package io.rookery.admin.plan;

/**
 * The load figures of one slot. A figure that was not measured is 0; which ones were measured is said by
 * {@link SlotLoads#measured()}.
 */
public record SlotLoad(int slot, long keys, long memoryBytes, long cpuUsec, long networkBytesIn,
        long networkBytesOut) {

    public SlotLoad {
        if (slot < 0 || slot >= SlotRange.SLOTS) {
            throw new IllegalArgumentException("bad slot " + slot);
        }
    }

    /** A slot of which only the key count is known. */
    public static SlotLoad keysOnly(int slot, long keys) {
        return new SlotLoad(slot, keys, 0, 0, 0, 0);
    }

    /** The figure for {@code metric}. */
    public long value(LoadMetric metric) {
        return switch (metric) {
            case KEYS -> keys;
            case MEMORY_BYTES -> memoryBytes;
            case CPU_USEC -> cpuUsec;
            case NETWORK_BYTES_IN -> networkBytesIn;
            case NETWORK_BYTES_OUT -> networkBytesOut;
            case NETWORK_BYTES -> networkBytesIn + networkBytesOut;
        };
    }
}
