package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Spreads load, not slot counts: from the per-slot figures of a snapshot ({@code CLUSTER SLOT-STATS} on Rookery,
 * key counts from {@code COUNTKEYSINSLOT} on Redis 7.0) it plans moves that lower the largest per-primary load.
 *
 * <p>Objective: minimise max/mean of the chosen metric per primary, moving at most {@code maxSlotsMoved} slots.
 * Method (greedy, deterministic): while the most loaded primary is above {@code (1 + tolerance) * mean}, move its
 * heaviest slot whose load is below the gap between it and the least loaded primary to that primary (so the pair's
 * maximum strictly drops and the sum of squared loads strictly falls; the loop ends). Ties: the first primary in
 * snapshot order, the lowest slot number. A slot moves at most once; slots with no load never move. It stops at the
 * tolerance, at the cap, or when no slot fits the gap (one hot slot heavier than the gap stays where it is: a slot
 * cannot be split), and says which in the notes.
 */
public final class LoadRebalancePlanner {

    private record SlotLoadKey(long load, int slot) {
    }

    /** Ascending load; among equal loads, descending slot, so that lower() finds the lowest slot of a load. */
    private static final Comparator<SlotLoadKey> ORDER = Comparator.comparingLong(SlotLoadKey::load)
            .thenComparing(Comparator.comparingInt(SlotLoadKey::slot).reversed());

    public Plan plan(ClusterTopology topology, LoadRebalanceOptions options) {
        LoadMetric metric = options.metric();
        if (!topology.loads().isMeasured(metric)) {
            throw new PlanRejectedException("*** The snapshot has no " + metric + " figures per slot (Redis 7.0 has"
                    + " no CLUSTER SLOT-STATS: only KEYS can be counted there)");
        }
        ClusterCheck.requireSane(topology, "rebalancing");
        List<ClusterNode> primaries = topology.primaries();
        List<ClusterNode> involved = primaries.stream()
                .filter(p -> options.useEmptyPrimaries() || p.slotCount() > 0).toList();
        SlotMap map = new SlotMap(topology);
        List<PrimaryFigures> before = map.figures(primaries, metric);

        long[] load = new long[involved.size()];
        List<TreeSet<SlotLoadKey>> movable = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < involved.size(); i++) {
            TreeSet<SlotLoadKey> slots = new TreeSet<>(ORDER);
            for (int slot : map.slotsOf(involved.get(i).id())) {
                long value = topology.load(slot, metric);
                load[i] += value;
                if (value > 0) {
                    slots.add(new SlotLoadKey(value, slot));
                }
            }
            movable.add(slots);
            total += load[i];
        }
        double mean = involved.isEmpty() ? 0 : (double) total / involved.size();
        double limit = mean * (1 + options.tolerance());
        List<SlotMove> moves = new ArrayList<>();
        String stop = null;
        while (stop == null) {
            int hot = 0;
            int cold = 0;
            for (int i = 1; i < involved.size(); i++) {
                if (load[i] > load[hot]) {
                    hot = i;
                }
                if (load[i] < load[cold]) {
                    cold = i;
                }
            }
            if (involved.size() < 2 || load[hot] <= limit) {
                stop = "the most loaded primary is within the tolerance of the mean";
            } else if (moves.size() >= options.maxSlotsMoved()) {
                stop = "the cap of " + options.maxSlotsMoved() + " slots moved was reached";
            } else {
                SlotLoadKey slot = movable.get(hot).lower(new SlotLoadKey(load[hot] - load[cold], Integer.MAX_VALUE));
                if (slot == null) {
                    stop = "no slot of the most loaded primary " + involved.get(hot).endpoint()
                            + " is lighter than its gap to the least loaded one (a hot slot cannot be split)";
                } else {
                    movable.get(hot).remove(slot);
                    load[hot] -= slot.load();
                    load[cold] += slot.load();
                    moves.add(SlotMove.of(topology, slot.slot(), involved.get(hot).id(), involved.get(cold).id()));
                }
            }
        }
        map.applyAll(moves);
        List<PrimaryFigures> after = map.figures(primaries, metric);
        List<PrimaryFigures> involvedBefore = before.stream().filter(f -> isInvolved(involved, f)).toList();
        List<PrimaryFigures> involvedAfter = after.stream().filter(f -> isInvolved(involved, f)).toList();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s max/mean %.3f before, %.3f after; slots max/mean %.3f before,"
                + " %.3f after", metric, Imbalance.ofLoad(involvedBefore), Imbalance.ofLoad(involvedAfter),
                Imbalance.ofSlots(involvedBefore), Imbalance.ofSlots(involvedAfter)));
        notes.add("Stopped: " + stop);
        String objective = String.format(Locale.ROOT, "Minimise max/mean of %s per primary across %d primaries"
                + " (target within %.1f%% of the mean, at most %d slots moved): repeatedly move the heaviest slot of"
                + " the most loaded primary that still fits its gap to the least loaded primary", metric,
                involved.size(), options.tolerance() * 100, options.maxSlotsMoved());
        return Plan.ofMoves(PlanKind.LOAD_REBALANCE, objective, metric, moves, before, after, notes);
    }

    private static boolean isInvolved(List<ClusterNode> involved, PrimaryFigures figures) {
        return involved.stream().anyMatch(n -> n.id().equals(figures.nodeId()));
    }
}
