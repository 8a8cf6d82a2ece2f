package io.rookery.admin.plan;

/**
 * The figures of one primary before or after a plan.
 *
 * @param nodeId   the primary
 * @param endpoint {@code host:port}
 * @param slots    slots owned
 * @param keys     keys in those slots (sum of the snapshot's per-slot key figures; 0 when not measured)
 * @param bytes    memory bytes in those slots (0 when not measured)
 * @param load     the plan's {@linkplain Plan#metric() metric} summed over those slots (for a slot-count plan,
 *                 the slot count)
 */
public record PrimaryFigures(String nodeId, String endpoint, int slots, long keys, long bytes, long load) {
}
