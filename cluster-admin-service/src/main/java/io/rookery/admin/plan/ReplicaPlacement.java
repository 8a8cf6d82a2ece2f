package io.rookery.admin.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the primary a replica should follow: redis-cli's rule (clusterManagerNodeWithLeastReplicas: the primary
 * with the fewest replicas, the first such in snapshot order) restricted to healthy primaries that own slots (a
 * replica of an empty primary protects nothing; if none own slots, any healthy primary), with one addition for
 * anti-affinity: among the primaries with the fewest replicas, one on another host than the replica wins. Counts
 * are kept as replicas are placed, so several placements spread out (redis-cli's del-node does not recount).
 */
final class ReplicaPlacement {
    private final List<ClusterNode> candidates;
    private final Map<String, Integer> replicaCounts = new HashMap<>();

    /** Candidates: the healthy primaries of {@code topology} except {@code excludedId} ({@code null}: none). */
    ReplicaPlacement(ClusterTopology topology, String excludedId) {
        List<ClusterNode> healthy = topology.primaries().stream()
                .filter(ClusterNode::healthy).filter(n -> !n.id().equals(excludedId)).toList();
        List<ClusterNode> owning = healthy.stream().filter(n -> n.slotCount() > 0).toList();
        this.candidates = owning.isEmpty() ? healthy : owning;
        for (ClusterNode primary : candidates) {
            replicaCounts.put(primary.id(), topology.replicasOf(primary.id()).size());
        }
    }

    /** The primary for a replica on {@code replicaHost}, counted as placed; {@code null} when there is none. */
    ClusterNode place(String replicaHost) {
        ClusterNode best = null;
        for (ClusterNode primary : candidates) {
            if (best == null || better(primary, best, replicaHost)) {
                best = primary;
            }
        }
        if (best != null) {
            replicaCounts.merge(best.id(), 1, Integer::sum);
        }
        return best;
    }

    private boolean better(ClusterNode candidate, ClusterNode best, String replicaHost) {
        int candidateCount = replicaCounts.get(candidate.id());
        int bestCount = replicaCounts.get(best.id());
        if (candidateCount != bestCount) {
            return candidateCount < bestCount;
        }
        return best.host().equals(replicaHost) && !candidate.host().equals(replicaHost);
    }
}
