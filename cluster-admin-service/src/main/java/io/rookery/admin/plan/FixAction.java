package io.rookery.admin.plan;

/**
 * What one {@link SlotFix} step does, in the terms of {@code redis-cli --cluster fix} (7.0). Each step is sent to
 * {@link SlotFix#nodeId()}; {@link SlotFix#peerId()} is the other node when the action names one.
 */
public enum FixAction {
    /**
     * Make the node the owner: in one MULTI, {@code CLUSTER DELSLOTS slot} (its "not assigned" error ignored),
     * {@code CLUSTER ADDSLOTS slot}, {@code CLUSTER BUMPEPOCH} (redis-cli's clusterManagerSetSlotOwner).
     */
    ASSIGN,
    /** As {@link #ASSIGN}, with {@code CLUSTER SETSLOT slot STABLE} before the BUMPEPOCH. */
    ASSIGN_AND_STABILIZE,
    /** {@code CLUSTER DELSLOTS slot} ("not assigned" errors ignored). */
    DELSLOTS,
    /** {@code CLUSTER SETSLOT slot STABLE}: clear migrating/importing on the node. */
    SETSLOT_STABLE,
    /** {@code CLUSTER SETSLOT slot NODE peerId}. */
    SETSLOT_NODE,
    /** {@code CLUSTER SETSLOT slot IMPORTING peerId}. */
    SETSLOT_IMPORTING,
    /**
     * Move every key of the slot from the node to {@code peerId} with MIGRATE, without touching slot states
     * (redis-cli's "cold" move); BUSYKEY is resolved as redis-cli's fix does (REPLACE).
     */
    MOVE_KEYS,
    /**
     * A full safe slot move from the node to {@code peerId} (IMPORTING, MIGRATING, keys, SETSLOT NODE on both ends
     * and the other primaries), as for a {@link SlotMove}; the states already set may be set again.
     */
    MOVE_SLOT
}
