package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A snapshot of a cluster at one moment: what every planner reads. Built by the service from a live cluster
 * ({@code CLUSTER NODES} of each node, optionally {@code CLUSTER SLOT-STATS} or {@code CLUSTER COUNTKEYSINSLOT}) or
 * by a test by hand; planners never talk to the cluster.
 *
 * <p>The order of {@link #nodes()} matters: where redis-cli's outcome depends on the order it meets nodes in
 * (ties in rebalance, reshard sources), planners use this order, so the service should list nodes as redis-cli
 * would load them (the seed node first, then its {@code CLUSTER NODES} lines in order).
 *
 * @param nodes every known node, primaries and replicas; ids are unique
 * @param loads per-slot load figures, {@link SlotLoads#none()} when not measured
 */
public record ClusterTopology(List<ClusterNode> nodes, SlotLoads loads) {

    public ClusterTopology {
        nodes = List.copyOf(nodes);
        loads = loads == null ? SlotLoads.none() : loads;
        Set<String> ids = new HashSet<>();
        for (ClusterNode node : nodes) {
            if (!ids.add(node.id())) {
                throw new IllegalArgumentException("duplicate node id " + node.id());
            }
        }
    }

    /** A snapshot without load figures. */
    public static ClusterTopology of(List<ClusterNode> nodes) {
        return new ClusterTopology(nodes, SlotLoads.none());
    }

    /** The primaries, in snapshot order. */
    public List<ClusterNode> primaries() {
        return nodes.stream().filter(ClusterNode::isPrimary).toList();
    }

    /** The replicas of {@code primaryId}, in snapshot order. */
    public List<ClusterNode> replicasOf(String primaryId) {
        return nodes.stream().filter(n -> !n.isPrimary() && primaryId.equals(n.primaryId())).toList();
    }

    public Optional<ClusterNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /** The node {@code id}, or an {@link PlanRejectedException} naming it when unknown. */
    public ClusterNode requireNode(String id) {
        return node(id).orElseThrow(() -> new PlanRejectedException("[ERR] No such node ID " + id));
    }

    /** The owner of every slot by slot number; {@code null} where uncovered. */
    public String[] slotOwners() {
        String[] owners = new String[SlotRange.SLOTS];
        for (ClusterNode node : primaries()) {
            for (SlotRange range : node.slots()) {
                for (int slot = range.start(); slot <= range.end(); slot++) {
                    owners[slot] = node.id();
                }
            }
        }
        return owners;
    }

    /** The slots no primary owns, ascending. */
    public List<Integer> uncoveredSlots() {
        BitSet covered = new BitSet(SlotRange.SLOTS);
        for (ClusterNode node : primaries()) {
            covered.or(node.slotBits());
        }
        List<Integer> uncovered = new ArrayList<>();
        for (int slot = covered.nextClearBit(0); slot < SlotRange.SLOTS; slot = covered.nextClearBit(slot + 1)) {
            uncovered.add(slot);
        }
        return uncovered;
    }

    /** The slots some primary reports migrating or importing, ascending. */
    public List<Integer> openSlots() {
        TreeSet<Integer> open = new TreeSet<>();
        for (ClusterNode node : primaries()) {
            open.addAll(node.migrating().keySet());
            open.addAll(node.importing().keySet());
        }
        return List.copyOf(open);
    }

    /** The load of {@code slot} for {@code metric} (0 when unknown). */
    public long load(int slot, LoadMetric metric) {
        return loads.value(slot, metric);
    }

    /** A copy with the node {@code id} replaced by {@code replacement}. */
    public ClusterTopology withNode(ClusterNode replacement) {
        List<ClusterNode> copy = new ArrayList<>(nodes.size());
        for (ClusterNode node : nodes) {
            copy.add(node.id().equals(replacement.id()) ? replacement : node);
        }
        return new ClusterTopology(copy, loads);
    }
}
