package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * redis-cli's anti-affinity score of a replica assignment (clusterManagerGetAntiAffinityScore): per host, nodes are
 * grouped by the primary they belong to (a primary with its own replicas); a group of {@code n >= 2} nodes on one
 * host costs {@code 10000 * (n - 1)} when the primary is among them (replicas on their primary's host) and {@code n}
 * when only replicas of one primary share the host. 0 is perfect anti-affinity.
 */
final class AntiAffinity {
    private AntiAffinity() {
    }

    /** The score of {@code primaryOf} (replica index → primary index) over {@code nodes}. */
    static int score(List<ClusterNode> nodes, int[] primaryOf) {
        int score = 0;
        for (Map<Integer, int[]> groups : groupsByHost(nodes, primaryOf).values()) {
            for (int[] group : groups.values()) {
                int size = group[0] + group[1];
                if (size < 2) {
                    continue;
                }
                score += group[0] > 0 ? 10000 * (size - 1) : size;
            }
        }
        return score;
    }

    /**
     * The replicas (indexes into {@code nodes}) that offend: for every offending group, the first replica of it in
     * node order, as redis-cli lists them.
     */
    static List<Integer> offenders(List<ClusterNode> nodes, int[] primaryOf) {
        Map<String, Map<Integer, int[]>> byHost = groupsByHost(nodes, primaryOf);
        List<Integer> offenders = new ArrayList<>();
        byHost.forEach((host, groups) -> groups.forEach((primary, group) -> {
            if (group[0] + group[1] < 2) {
                return;
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (primaryOf[i] == primary && nodes.get(i).host().equals(host)) {
                    offenders.add(i);
                    return;
                }
            }
        }));
        return offenders;
    }

    /** host → primary index → {primaries, replicas} counts. */
    private static Map<String, Map<Integer, int[]>> groupsByHost(List<ClusterNode> nodes, int[] primaryOf) {
        Map<String, Map<Integer, int[]>> byHost = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            boolean isPrimary = primaryOf[i] < 0;
            int key = isPrimary ? i : primaryOf[i];
            int[] group = byHost.computeIfAbsent(nodes.get(i).host(), h -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new int[2]);
            group[isPrimary ? 0 : 1]++;
        }
        return byHost;
    }

    /**
     * Improves {@code primaryOf} in place by swapping the primaries of two replicas while that lowers the score:
     * redis-cli's optimiser (clusterManagerOptimizeAntiAffinity) made deterministic — it tries the offenders in
     * order against every other replica in order and keeps the first swap that strictly lowers the score, until
     * none does. Replica counts per primary never change. Returns the final score.
     */
    static int optimise(List<ClusterNode> nodes, int[] primaryOf) {
        int score = score(nodes, primaryOf);
        boolean improved = true;
        while (score > 0 && improved) {
            improved = false;
            search:
            for (int first : offenders(nodes, primaryOf)) {
                for (int second = 0; second < nodes.size(); second++) {
                    if (second == first || primaryOf[second] < 0 || primaryOf[second] == primaryOf[first]) {
                        continue;
                    }
                    swap(primaryOf, first, second);
                    int newScore = score(nodes, primaryOf);
                    if (newScore < score) {
                        score = newScore;
                        improved = true;
                        break search;
                    }
                    swap(primaryOf, first, second);
                }
            }
        }
        return score;
    }

    private static void swap(int[] primaryOf, int a, int b) {
        int t = primaryOf[a];
        primaryOf[a] = primaryOf[b];
        primaryOf[b] = t;
    }
}
