package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Balances slot counts across primaries with redis-cli 7.0's arithmetic (clusterManagerCommandRebalance), so that a
 * topology gives the same moves {@code redis-cli --cluster rebalance} would make:
 * <ol>
 * <li>every primary weighs 1 unless given a weight; without {@code use-empty-masters} a primary owning no slot gets
 * weight 0 and takes no part;</li>
 * <li>a taking-part primary's expected slots are {@code (int) ((16384f / totalWeight) * weight)} (single precision,
 * truncated) and its balance is {@code slots - expected} (positive: it gives slots);</li>
 * <li>nothing is planned unless some primary is over the threshold: owning slots, {@code |100 - 100 * expected /
 * slots| > threshold}; owning none, {@code expected > 1};</li>
 * <li>rounding leaves the balances summing above 0; redis-cli subtracts 1 from each primary with balance {@code <=
 * 0}, in snapshot order, round after round, until they sum to 0;</li>
 * <li>primaries are sorted by balance (stably, as glibc's qsort is); the most negative receives from the most
 * positive {@code min(|receive|, |give|)} slots, which are the giver's lowest-numbered slots at that moment; the
 * pointer of whichever reached balance 0 advances, until the pointers meet.</li>
 * </ol>
 */
public final class RebalancePlanner {

    /** The plan for {@code topology} with {@code options}; an empty plan (with redis-cli's note) when balanced. */
    public Plan plan(ClusterTopology topology, RebalanceOptions options) {
        Map<String, Float> weights = resolveWeights(topology, options.weights());
        ClusterCheck.requireSane(topology, "rebalancing");
        List<ClusterNode> primaries = topology.primaries();
        List<ClusterNode> involved = new ArrayList<>();
        float totalWeight = 0;
        for (ClusterNode node : primaries) {
            if (!options.useEmptyPrimaries() && node.slotCount() == 0) {
                continue;
            }
            totalWeight += weights.getOrDefault(node.id(), 1.0f);
            involved.add(node);
        }
        if (involved.isEmpty() || totalWeight <= 0) {
            throw new PlanRejectedException("*** The total weight of the primaries taking part is 0:"
                    + " at least one primary must have a weight above 0");
        }
        String objective = String.format(Locale.ROOT, "Balance slot counts across %d primaries by weight"
                + " (total weight %.2f) with redis-cli's rebalance arithmetic: each primary is expected to own"
                + " (int)(16384 / total weight * weight) slots; threshold %.2f%%; empty primaries %s",
                involved.size(), totalWeight, options.threshold(),
                options.useEmptyPrimaries() ? "take part (use-empty-masters)" : "left out");
        SlotMap map = new SlotMap(topology);
        List<PrimaryFigures> before = map.figures(primaries, null);

        Map<String, Integer> balance = new LinkedHashMap<>();
        int totalBalance = 0;
        boolean thresholdReached = false;
        for (ClusterNode node : involved) {
            float weight = weights.getOrDefault(node.id(), 1.0f);
            int expected = (int) ((SlotRange.SLOTS / totalWeight) * weight);
            int slots = node.slotCount();
            balance.put(node.id(), slots - expected);
            totalBalance += slots - expected;
            if (options.threshold() > 0) {
                if (slots > 0) {
                    float errorPercent = (float) Math.abs(100 - (100.0 * expected / slots));
                    if (errorPercent > (float) options.threshold()) {
                        thresholdReached = true;
                    }
                } else if (expected > 1) {
                    thresholdReached = true;
                }
            }
        }
        if (!thresholdReached) {
            String note = String.format(Locale.ROOT,
                    "*** No rebalancing needed! All nodes are within the %.2f%% threshold.", options.threshold());
            return Plan.ofMoves(PlanKind.REBALANCE, objective, null, List.of(), before, before, List.of(note));
        }
        while (totalBalance > 0) {
            for (ClusterNode node : involved) {
                if (balance.get(node.id()) <= 0 && totalBalance > 0) {
                    balance.merge(node.id(), -1, Integer::sum);
                    totalBalance--;
                }
            }
        }
        List<ClusterNode> sorted = new ArrayList<>(involved);
        sorted.sort(Comparator.comparingInt(node -> balance.get(node.id())));
        List<String> notes = new ArrayList<>();
        for (ClusterNode node : sorted) {
            notes.add(node.endpoint() + " balance is " + balance.get(node.id()) + " slots");
        }
        List<SlotMove> moves = new ArrayList<>();
        int dst = 0;
        int src = sorted.size() - 1;
        while (dst < src) {
            ClusterNode receiver = sorted.get(dst);
            ClusterNode giver = sorted.get(src);
            int count = Math.min(Math.abs(balance.get(receiver.id())), Math.abs(balance.get(giver.id())));
            if (count > 0) {
                notes.add("Moving " + count + " slots from " + giver.endpoint() + " to " + receiver.endpoint());
                for (int slot : map.slotsOf(giver.id()).subList(0, count)) {
                    SlotMove move = SlotMove.of(topology, slot, giver.id(), receiver.id());
                    map.apply(move);
                    moves.add(move);
                }
            }
            balance.merge(receiver.id(), count, Integer::sum);
            balance.merge(giver.id(), -count, Integer::sum);
            if (balance.get(receiver.id()) == 0) {
                dst++;
            }
            if (balance.get(giver.id()) == 0) {
                src--;
            }
        }
        return Plan.ofMoves(PlanKind.REBALANCE, objective, null, moves, before, map.figures(primaries, null), notes);
    }

    /**
     * Resolves the operator's weights (full ids or prefixes, matched case-insensitively against the snapshot's
     * nodes in order, first match wins, as redis-cli's clusterManagerNodeByAbbreviatedName) to node ids.
     */
    static Map<String, Float> resolveWeights(ClusterTopology topology, Map<String, Double> requested) {
        Map<String, Float> weights = new LinkedHashMap<>();
        requested.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String prefix = entry.getKey().toLowerCase(Locale.ROOT);
            ClusterNode node = topology.nodes().stream().filter(n -> n.id().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new PlanRejectedException("*** No such master node " + entry.getKey()));
            if (entry.getValue() < 0 || entry.getValue().isNaN()) {
                throw new PlanRejectedException("*** invalid input " + entry.getKey() + "=" + entry.getValue());
            }
            weights.put(node.id(), entry.getValue().floatValue());
        });
        return weights;
    }
}
