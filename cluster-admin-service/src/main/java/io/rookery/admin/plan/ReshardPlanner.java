package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves slots to one primary, either a number of them taken from sources as {@code redis-cli --cluster reshard}
 * takes them (clusterManagerComputeReshardTable), or exactly the slots of given ranges from whoever owns them.
 *
 * <p>By number: the sources (the named primaries, or every other primary for "all") are sorted by slot count,
 * largest first (stably: equal counts keep the given order); each gives {@code count / total source slots * its
 * slots} in single precision, rounded up for the first source and down for the others, taking its lowest-numbered
 * slots, and the table stops at {@code count}. The floors can make it move a few slots fewer than asked, as
 * redis-cli does; the plan says so.
 */
public final class ReshardPlanner {

    /**
     * Moves {@code count} slots to {@code targetId} from {@code sourceIds} ({@code null} or empty: all other
     * primaries, including empty ones, as redis-cli's "all").
     */
    public Plan plan(ClusterTopology topology, String targetId, List<String> sourceIds, int count) {
        ClusterCheck.requireSane(topology, "resharding");
        if (count <= 0 || count > SlotRange.SLOTS) {
            throw new PlanRejectedException("*** The number of slots to move must be between 1 and 16384, not "
                    + count);
        }
        ClusterNode target = primary(topology, targetId);
        List<String> notes = new ArrayList<>();
        List<ClusterNode> sources = new ArrayList<>();
        if (sourceIds == null || sourceIds.isEmpty() || sourceIds.contains("all")) {
            for (ClusterNode node : topology.primaries()) {
                if (!node.id().equals(target.id())) {
                    sources.add(node);
                }
            }
        } else {
            for (String id : sourceIds) {
                ClusterNode source = primary(topology, id);
                if (source.id().equals(target.id())) {
                    notes.add("*** It is not possible to use the target node as source node.");
                } else if (sources.stream().noneMatch(s -> s.id().equals(source.id()))) {
                    sources.add(source);
                }
            }
        }
        if (sources.isEmpty()) {
            throw new PlanRejectedException("*** No source nodes given, operation aborted.");
        }
        if (sources.stream().mapToInt(ClusterNode::slotCount).sum() == 0) {
            throw new PlanRejectedException("*** The source nodes own no slots, operation aborted.");
        }
        SlotMap map = new SlotMap(topology);
        List<PrimaryFigures> before = map.figures(topology.primaries(), null);
        List<SlotMove> moves = new ArrayList<>();
        for (Map.Entry<ClusterNode, Integer> share : shares(sources, count).entrySet()) {
            List<Integer> slots = map.slotsOf(share.getKey().id());
            for (int slot : slots.subList(0, Math.min(share.getValue(), slots.size()))) {
                if (moves.size() >= count) {
                    break;
                }
                moves.add(SlotMove.of(topology, slot, share.getKey().id(), target.id()));
            }
        }
        map.applyAll(moves);
        if (moves.size() < count) {
            notes.add("Moving " + moves.size() + " slots, not " + count + ": redis-cli's proportional shares round"
                    + " down for all sources but the largest");
        }
        String objective = "Move " + count + " slots to " + target.endpoint() + " from " + sources.size()
                + " source(s) in proportion to the slots each owns (redis-cli's reshard table: largest source"
                + " rounded up, the others down, lowest-numbered slots first)";
        return Plan.ofMoves(PlanKind.RESHARD, objective, null, moves, before, map.figures(topology.primaries(), null),
                notes);
    }

    /** Moves every slot of {@code ranges} not already owned by {@code targetId} to it, in ascending order. */
    public Plan planRanges(ClusterTopology topology, String targetId, List<SlotRange> ranges) {
        ClusterCheck.requireSane(topology, "resharding");
        ClusterNode target = primary(topology, targetId);
        if (ranges == null || ranges.isEmpty()) {
            throw new PlanRejectedException("*** No slots given, operation aborted.");
        }
        SlotMap map = new SlotMap(topology);
        List<PrimaryFigures> before = map.figures(topology.primaries(), null);
        List<SlotMove> moves = new ArrayList<>();
        List<SlotRange> merged = SlotRange.compress(SlotRange.bits(ranges));
        for (SlotRange range : merged) {
            for (int slot = range.start(); slot <= range.end(); slot++) {
                String owner = map.owner(slot);
                if (!owner.equals(target.id())) {
                    moves.add(SlotMove.of(topology, slot, owner, target.id()));
                }
            }
        }
        map.applyAll(moves);
        List<String> notes = new ArrayList<>();
        int requested = merged.stream().mapToInt(SlotRange::size).sum();
        if (moves.size() < requested) {
            notes.add((requested - moves.size()) + " of the requested slots are already owned by "
                    + target.endpoint());
        }
        String objective = "Move the slots " + merged + " to " + target.endpoint() + " from their owners";
        return Plan.ofMoves(PlanKind.RESHARD, objective, null, moves, before, map.figures(topology.primaries(), null),
                notes);
    }

    /** Source → number of slots it gives, in the order redis-cli takes them. */
    static Map<ClusterNode, Integer> shares(List<ClusterNode> sources, int count) {
        List<ClusterNode> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparingInt(ClusterNode::slotCount).reversed());
        int totalSlots = sorted.stream().mapToInt(ClusterNode::slotCount).sum();
        Map<ClusterNode, Integer> shares = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            ClusterNode node = sorted.get(i);
            float share = (float) count / totalSlots * node.slotCount();
            shares.put(node, (int) (i == 0 ? Math.ceil(share) : Math.floor(share)));
        }
        return shares;
    }

    /** The primary {@code id} names, or redis-cli's rejection. */
    static ClusterNode primary(ClusterTopology topology, String id) {
        return topology.node(id).filter(ClusterNode::isPrimary).orElseThrow(() -> new PlanRejectedException(
                "*** The specified node (" + id + ") is not known or not a master, please retry."));
    }
}
