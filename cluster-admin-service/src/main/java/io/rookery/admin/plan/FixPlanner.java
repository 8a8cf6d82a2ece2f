package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans {@code redis-cli --cluster fix} (7.0: clusterManagerFixOpenSlot, then clusterManagerFixSlotsCoverage) as a
 * list of {@link SlotFix} steps, from a snapshot in which every primary's {@link ClusterNode#slots()},
 * {@link ClusterNode#migrating()} and {@link ClusterNode#importing()} are the node's own view and
 * {@link ClusterNode#keysBySlot()} holds {@code CLUSTER COUNTKEYSINSLOT} of every primary for every open and every
 * uncovered slot.
 *
 * <p>Open slots, ascending (redis-cli takes them in hash order). The owners are the primaries that claim the slot
 * or hold keys in it; with exactly one, it is the owner, otherwise the primary with most keys becomes it
 * (STABLE, then ASSIGN). Other claimants give the slot up (DELSLOTS, SETSLOT NODE owner, SETSLOT IMPORTING owner)
 * and count as importing. Then: one migrating and one importing node — a full move between them (case 1); none
 * migrating, some importing — their keys move cold to the owner, they are made STABLE and every primary is told
 * SETSLOT NODE owner (case 2); one migrating and several importing without keys — a move to the importing node the
 * migrating one names, the others STABLE, or, if none is named, all STABLE (case 3); one migrating, none importing,
 * the migrating node the owner or keyless — STABLE on it (case 4); anything else is noted as redis-cli's "can't fix
 * this slot yet" and left alone.
 *
 * <p>Uncovered slots, after the open ones: a slot nobody has keys in goes to the healthy primary owning fewest slots
 * at that point (redis-cli picks one at random; spreading them is the deterministic choice); a slot one primary has
 * keys in goes to it; a slot several have keys in goes to the one with most keys (ASSIGN_AND_STABILIZE), the others
 * being told SETSLOT NODE and IMPORTING, their keys moved cold, then STABLE.
 */
public final class FixPlanner {

    /**
     * The fix plan; {@code withUnreachablePrimaries} is redis-cli's {@code --cluster-fix-with-unreachable-masters}:
     * without it, a snapshot with failing or unreachable primaries and something to fix is rejected with
     * redis-cli's warning.
     */
    public Plan plan(ClusterTopology topology, boolean withUnreachablePrimaries) {
        List<ClusterNode> primaries = topology.primaries();
        Map<String, BitSet> owned = new LinkedHashMap<>();
        for (ClusterNode primary : primaries) {
            owned.put(primary.id(), primary.slotBits());
        }
        List<Integer> openSlots = topology.openSlots();
        long unreachable = primaries.stream().filter(p -> !p.healthy()).count();
        List<SlotFix> fixes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!openSlots.isEmpty() && unreachable > 0 && !withUnreachablePrimaries) {
            throw new PlanRejectedException("*** Fixing open slots with " + unreachable + " unreachable masters is"
                    + " dangerous: redis-cli will assume that slots about masters that are not reachable are not"
                    + " covered, and will try to reassign them to the reachable nodes. This can cause data loss and"
                    + " is rarely what you want to do. If you really want to proceed use the"
                    + " --cluster-fix-with-unreachable-masters option.");
        }
        for (int slot : openSlots) {
            new OpenSlotFix(topology, primaries, owned, slot, fixes, notes).run();
        }
        BitSet covered = new BitSet(SlotRange.SLOTS);
        owned.values().forEach(covered::or);
        if (covered.cardinality() < SlotRange.SLOTS) {
            if (unreachable > 0 && !withUnreachablePrimaries) {
                throw new PlanRejectedException("*** Fixing slots coverage with " + unreachable + " unreachable"
                        + " masters is dangerous: redis-cli will assume that slots about masters that are not"
                        + " reachable are not covered, and will try to reassign them to the reachable nodes. This can"
                        + " cause data loss and is rarely what you want to do. If you really want to proceed use the"
                        + " --cluster-fix-with-unreachable-masters option.");
            }
            coverUncovered(primaries, owned, covered, fixes, notes);
        }
        List<ClusterNode> after = new ArrayList<>();
        for (ClusterNode node : topology.nodes()) {
            after.add(node.isPrimary() ? node.withSlots(SlotRange.compress(owned.get(node.id()))) : node);
        }
        ClusterTopology fixed = new ClusterTopology(after, topology.loads());
        String objective = "Close the open slots " + openSlots + " and cover the " + (SlotRange.SLOTS
                - covered.cardinality()) + " uncovered slots by redis-cli --cluster fix's rules (owner = the"
                + " primary with most keys; keyless uncovered slots to the primaries with fewest slots)";
        return new Plan(PlanKind.FIX, objective, null, List.of(), List.of(), List.of(), List.of(), fixes, List.of(),
                new SlotMap(topology).figures(primaries, null), new SlotMap(fixed).figures(fixed.primaries(), null),
                notes);
    }

    private static void coverUncovered(List<ClusterNode> primaries, Map<String, BitSet> owned, BitSet covered,
            List<SlotFix> fixes, List<String> notes) {
        List<Integer> none = new ArrayList<>();
        Map<Integer, List<ClusterNode>> single = new LinkedHashMap<>();
        Map<Integer, List<ClusterNode>> multi = new LinkedHashMap<>();
        for (int slot = covered.nextClearBit(0); slot < SlotRange.SLOTS; slot = covered.nextClearBit(slot + 1)) {
            int s = slot;
            List<ClusterNode> holders = primaries.stream().filter(p -> p.keysIn(s) > 0).toList();
            if (holders.isEmpty()) {
                none.add(slot);
            } else if (holders.size() == 1) {
                single.put(slot, holders);
            } else {
                multi.put(slot, holders);
            }
        }
        List<ClusterNode> healthy = primaries.stream().filter(ClusterNode::healthy).toList();
        for (int slot : none) {
            ClusterNode target = null;
            for (ClusterNode candidate : healthy) {
                if (target == null
                        || owned.get(candidate.id()).cardinality() < owned.get(target.id()).cardinality()) {
                    target = candidate;
                }
            }
            if (target == null) {
                notes.add("[ERR] No healthy primary to cover slot " + slot);
                continue;
            }
            owned.get(target.id()).set(slot);
            fixes.add(new SlotFix(slot, FixAction.ASSIGN, target.id(), null,
                    "uncovered, no keys anywhere: covered by the primary owning fewest slots, " + target.endpoint()));
        }
        single.forEach((slot, holders) -> {
            ClusterNode holder = holders.get(0);
            owned.get(holder.id()).set(slot);
            fixes.add(new SlotFix(slot, FixAction.ASSIGN, holder.id(), null,
                    "uncovered, keys only in " + holder.endpoint() + ": covered by it"));
        });
        multi.forEach((slot, holders) -> {
            ClusterNode target = mostKeys(holders, slot);
            owned.get(target.id()).set(slot);
            fixes.add(new SlotFix(slot, FixAction.ASSIGN_AND_STABILIZE, target.id(), null,
                    "uncovered, keys in " + holders.size() + " primaries: covered by the one with most keys, "
                            + target.endpoint()));
            for (ClusterNode source : holders) {
                if (source == target) {
                    continue;
                }
                String why = "uncovered slot's keys move from " + source.endpoint() + " to " + target.endpoint();
                fixes.add(new SlotFix(slot, FixAction.SETSLOT_NODE, source.id(), target.id(), why));
                fixes.add(new SlotFix(slot, FixAction.SETSLOT_IMPORTING, source.id(), target.id(), why));
                fixes.add(new SlotFix(slot, FixAction.MOVE_KEYS, source.id(), target.id(), why));
                fixes.add(new SlotFix(slot, FixAction.SETSLOT_STABLE, source.id(), null, why));
            }
        });
    }

    /** The node with most keys in {@code slot}: the first with a strictly larger count, the first if all are 0. */
    static ClusterNode mostKeys(List<ClusterNode> nodes, int slot) {
        ClusterNode best = null;
        for (ClusterNode node : nodes) {
            if (best == null || node.keysIn(slot) > best.keysIn(slot)) {
                best = node;
            }
        }
        return best;
    }
}
