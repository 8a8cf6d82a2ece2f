package io.rookery.admin.plan;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One node of a {@link ClusterTopology} snapshot, as {@code CLUSTER NODES} (and, for the open slots, the node's own
 * view) reports it.
 *
 * @param id               the 40-character node id
 * @param host             the address clients and the admin service reach the node at
 * @param port             the client port
 * @param busPort          the cluster bus port (usually {@code port + 10000})
 * @param role             primary or replica
 * @param primaryId        the id of the primary this replica follows; {@code null} for a primary
 * @param flags            the state flags; empty when the node is healthy
 * @param linkConnected    whether the reading node's bus link to this node is connected
 * @param slots            the slots the node owns, ascending and merged; empty for replicas and empty primaries.
 *                         Read from the node's own {@code myself} line: in a consistent cluster every node says the
 *                         same, and where they disagree (a half-done fix) the fixer needs each node's own claim
 * @param migrating        slot → id of the node the slot is migrating to, as the node itself reports it
 *                         ({@code [slot->-target]} in its own {@code CLUSTER NODES} line); empty when none
 * @param importing        slot → id of the node the slot is importing from ({@code [slot-<-source]}); empty when
 *                         none
 * @param configEpoch      the node's config epoch
 * @param replicationOffset the node's replication offset (the primary's master_repl_offset or the replica's
 *                         processed offset); 0 when unknown
 * @param keysBySlot       keys this node holds per slot where they were counted ({@code CLUSTER COUNTKEYSINSLOT} on
 *                         this node); the fixer needs them for open and uncovered slots; a slot not in the map
 *                         counts as 0 keys. Not the cluster-wide load figures: those are in {@link SlotLoads}.
 */
public record ClusterNode(
        String id,
        String host,
        int port,
        int busPort,
        NodeRole role,
        String primaryId,
        Set<NodeFlag> flags,
        boolean linkConnected,
        List<SlotRange> slots,
        Map<Integer, String> migrating,
        Map<Integer, String> importing,
        long configEpoch,
        long replicationOffset,
        Map<Integer, Long> keysBySlot) {

    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        flags = flags == null ? Set.of() : Set.copyOf(flags);
        slots = slots == null ? List.of() : List.copyOf(slots);
        migrating = migrating == null ? Map.of() : Map.copyOf(migrating);
        importing = importing == null ? Map.of() : Map.copyOf(importing);
        keysBySlot = keysBySlot == null ? Map.of() : Map.copyOf(keysBySlot);
        if (role == NodeRole.PRIMARY && primaryId != null) {
            throw new IllegalArgumentException("primary " + id + " cannot follow " + primaryId);
        }
    }

    /** A healthy, connected, empty primary at {@code host:port} (bus port {@code port + 10000}) owning {@code slots}. */
    public static ClusterNode primary(String id, String host, int port, List<SlotRange> slots) {
        return new ClusterNode(id, host, port, port + 10000, NodeRole.PRIMARY, null, Set.of(), true, slots,
                Map.of(), Map.of(), 0, 0, Map.of());
    }

    /** A healthy, connected replica of {@code primaryId} at {@code host:port}. */
    public static ClusterNode replica(String id, String host, int port, String primaryId) {
        return new ClusterNode(id, host, port, port + 10000, NodeRole.REPLICA, primaryId, Set.of(), true, List.of(),
                Map.of(), Map.of(), 0, 0, Map.of());
    }

    /** {@code host:port}, as redis-cli prints a node. */
    public String endpoint() {
        return host + ":" + port;
    }

    public boolean isPrimary() {
        return role == NodeRole.PRIMARY;
    }

    /** Whether the node is a usable member: none of fail, fail?, handshake, noaddr. */
    public boolean healthy() {
        return !flags.contains(NodeFlag.FAIL) && !flags.contains(NodeFlag.PFAIL)
                && !flags.contains(NodeFlag.HANDSHAKE) && !flags.contains(NodeFlag.NOADDR);
    }

    /** The number of slots the node owns. */
    public int slotCount() {
        int count = 0;
        for (SlotRange range : slots) {
            count += range.size();
        }
        return count;
    }

    /** The owned slots as a bit set (a fresh copy). */
    public BitSet slotBits() {
        return SlotRange.bits(slots);
    }

    public boolean owns(int slot) {
        for (SlotRange range : slots) {
            if (range.contains(slot)) {
                return true;
            }
        }
        return false;
    }

    /** The keys this node holds in {@code slot} as counted, 0 when not counted. */
    public long keysIn(int slot) {
        return keysBySlot.getOrDefault(slot, 0L);
    }

    /** A copy of this node owning {@code newSlots} instead. */
    public ClusterNode withSlots(List<SlotRange> newSlots) {
        return new ClusterNode(id, host, port, busPort, role, primaryId, flags, linkConnected, newSlots, migrating,
                importing, configEpoch, replicationOffset, keysBySlot);
    }
}
