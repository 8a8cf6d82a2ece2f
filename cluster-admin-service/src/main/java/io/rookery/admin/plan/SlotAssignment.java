package io.rookery.admin.plan;

import java.util.List;

/**
 * {@code CLUSTER ADDSLOTSRANGE} (or ADDSLOTS) on a node that is to own slots it has never had, as when creating a
 * cluster; then {@code CLUSTER SET-CONFIG-EPOCH configEpoch} on it (create gives every node a distinct epoch from
 * 1 in the order the nodes were given, replicas-to-be included, as redis-cli does; 0 means leave the epoch alone).
 * {@code slots} is empty for a node that only gets its epoch (a replica-to-be): send no ADDSLOTS then.
 */
public record SlotAssignment(String nodeId, List<SlotRange> slots, long configEpoch) {
    public SlotAssignment {
        slots = List.copyOf(slots);
    }

    public int slotCount() {
        return slots.stream().mapToInt(SlotRange::size).sum();
    }
}
