package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of a snapshot that make redis-cli refuse to reshard or rebalance ("Please fix your cluster problems
 * before ..."): open slots, slots no primary covers, and primaries that are failing or unreachable. The same
 * conditions refuse a plan here, since moving slots then risks leaving them in a worse state.
 */
public final class ClusterCheck {
    private ClusterCheck() {
    }

    /** The problems, each a line in redis-cli's words; empty when the cluster looks sane. */
    public static List<String> problems(ClusterTopology topology) {
        List<String> problems = new ArrayList<>();
        for (ClusterNode node : topology.primaries()) {
            if (!node.migrating().isEmpty()) {
                problems.add("[WARNING] Node " + node.endpoint() + " has slots in migrating state "
                        + joined(node.migrating().keySet()) + ".");
            }
            if (!node.importing().isEmpty()) {
                problems.add("[WARNING] Node " + node.endpoint() + " has slots in importing state "
                        + joined(node.importing().keySet()) + ".");
            }
            if (!node.healthy()) {
                problems.add("[ERR] Node " + node.endpoint() + " is failing or unreachable " + node.flags() + ".");
            }
        }
        if (!topology.uncoveredSlots().isEmpty()) {
            problems.add("[ERR] Not all 16384 slots are covered by nodes.");
        }
        return problems;
    }

    /** Rejects the plan with redis-cli's "Please fix your cluster problems before {@code action}" when any. */
    static void requireSane(ClusterTopology topology, String action) {
        List<String> problems = problems(topology);
        if (!problems.isEmpty()) {
            throw new PlanRejectedException(String.join("\n", problems)
                    + "\n*** Please fix your cluster problems before " + action);
        }
    }

    private static String joined(java.util.Set<Integer> slots) {
        return String.join(",", slots.stream().sorted().map(String::valueOf).toList());
    }
}
