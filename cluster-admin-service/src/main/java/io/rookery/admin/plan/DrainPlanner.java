package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans removing a node. A replica is only forgotten. A primary is drained first: its slots go to the other healthy
 * primaries so that, afterwards, each receiver's slot count is as close as possible to its weighted share (a
 * water-filling: each of the drained slots goes, one by one, to the receiver with the lowest slots/weight, ties in
 * snapshot order; then each receiver takes its quota as a contiguous run of the drained slots, receivers in
 * snapshot order). Only the drained node's slots move. Its replicas are re-pointed first at the primaries with the
 * fewest replicas (as redis-cli's del-node does), then it is forgotten by every node and reset.
 */
public final class DrainPlanner {

    /**
     * The plan removing {@code nodeId}; {@code weights} (node id → weight, absent = 1, 0 = receives nothing) spread
     * the slots.
     */
    public Plan plan(ClusterTopology topology, String nodeId, Map<String, Double> weights) {
        ClusterNode node = topology.requireNode(nodeId);
        SlotMap map = new SlotMap(topology);
        List<ClusterNode> primaries = topology.primaries();
        List<PrimaryFigures> before = map.figures(primaries, null);
        if (!node.isPrimary()) {
            return new Plan(PlanKind.DRAIN, "Remove the replica " + node.endpoint() + ": forget it everywhere, then"
                    + " reset it", null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(node.id()),
                    before, before, List.of());
        }
        Map<String, Double> weightOf = weights == null ? Map.of() : weights;
        weightOf.forEach((id, weight) -> {
            if (topology.node(id).filter(ClusterNode::isPrimary).isEmpty()) {
                throw new PlanRejectedException("*** No such master node " + id);
            }
            if (weight < 0 || weight.isNaN()) {
                throw new PlanRejectedException("*** invalid input " + id + "=" + weight);
            }
        });
        List<ClusterNode> receivers = new ArrayList<>();
        for (ClusterNode primary : primaries) {
            if (!primary.id().equals(node.id()) && primary.healthy() && weightOf.getOrDefault(primary.id(), 1.0) > 0) {
                receivers.add(primary);
            }
        }
        List<Integer> drained = map.slotsOf(node.id());
        if (!drained.isEmpty()) {
            ClusterCheck.requireSane(topology, "draining");
            if (receivers.isEmpty()) {
                throw new PlanRejectedException("*** No primary with a weight above 0 is left to take the "
                        + drained.size() + " slots of " + node.endpoint());
            }
        }
        Map<String, Integer> quota = quotas(receivers, weightOf, map, drained.size());
        List<SlotMove> moves = new ArrayList<>();
        int next = 0;
        for (ClusterNode receiver : receivers) {
            for (int i = 0; i < quota.get(receiver.id()); i++) {
                moves.add(SlotMove.of(topology, drained.get(next++), node.id(), receiver.id()));
            }
        }
        map.applyAll(moves);
        List<ReplicaAssignment> replicas = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        ReplicaPlacement placement = new ReplicaPlacement(topology, node.id());
        for (ClusterNode replica : topology.replicasOf(node.id())) {
            ClusterNode primary = placement.place(replica.host());
            if (primary == null) {
                notes.add("[WARNING] No primary is left for the replica " + replica.endpoint());
            } else {
                replicas.add(new ReplicaAssignment(replica.id(), primary.id()));
                notes.add(replica.endpoint() + " as replica of " + primary.endpoint());
            }
        }
        List<ClusterNode> remaining = primaries.stream().filter(p -> !p.id().equals(node.id())).toList();
        String objective = "Remove the primary " + node.endpoint() + ": spread its " + drained.size()
                + " slots over " + receivers.size() + " primaries so each ends as close as possible to its weighted"
                + " share (only its slots move), re-point its replicas, then forget it everywhere and reset it";
        return new Plan(PlanKind.DRAIN, objective, null, moves, List.of(), replicas, List.of(), List.of(),
                List.of(node.id()), before, map.figures(remaining, null), notes);
    }

    /** Receiver id → how many of the drained slots it takes, by water-filling on slots / weight. */
    private static Map<String, Integer> quotas(List<ClusterNode> receivers, Map<String, Double> weights, SlotMap map,
            int slots) {
        Map<String, Integer> quota = new LinkedHashMap<>();
        int[] counts = new int[receivers.size()];
        for (int i = 0; i < receivers.size(); i++) {
            quota.put(receivers.get(i).id(), 0);
            counts[i] = map.slotCount(receivers.get(i).id());
        }
        for (int s = 0; s < slots; s++) {
            int best = -1;
            double bestRatio = 0;
            for (int i = 0; i < receivers.size(); i++) {
                double weight = weights.getOrDefault(receivers.get(i).id(), 1.0);
                double ratio = (counts[i] + 1) / weight;
                if (best < 0 || ratio < bestRatio) {
                    best = i;
                    bestRatio = ratio;
                }
            }
            counts[best]++;
            quota.merge(receivers.get(best).id(), 1, Integer::sum);
        }
        return quota;
    }
}
