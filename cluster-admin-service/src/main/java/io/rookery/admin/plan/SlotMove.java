package io.rookery.admin.plan;

/**
 * One slot to migrate, in Redis's safe order (IMPORTING on the target, MIGRATING on the source, keys in batches,
 * SETSLOT NODE on the target, the source, then every other primary).
 *
 * @param slot     the slot
 * @param sourceId the node that owns it now
 * @param targetId the node that will own it
 * @param keys     keys the slot holds according to the snapshot's figures (0 when not measured)
 * @param bytes    bytes of memory the slot's keys hold according to the snapshot (0 when not measured)
 */
public record SlotMove(int slot, String sourceId, String targetId, long keys, long bytes) {
    public SlotMove {
        if (slot < 0 || slot >= SlotRange.SLOTS) {
            throw new IllegalArgumentException("bad slot " + slot);
        }
        if (sourceId.equals(targetId)) {
            throw new IllegalArgumentException("slot " + slot + " moves onto its own owner " + sourceId);
        }
    }

    /** The move of {@code slot} with its figures taken from {@code topology}. */
    public static SlotMove of(ClusterTopology topology, int slot, String sourceId, String targetId) {
        return new SlotMove(slot, sourceId, targetId, topology.load(slot, LoadMetric.KEYS),
                topology.load(slot, LoadMetric.MEMORY_BYTES));
    }
}
