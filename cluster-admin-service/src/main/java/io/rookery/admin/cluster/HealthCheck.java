package io.rookery.admin.cluster;

import io.rookery.admin.cluster.HealthVerdict.Finding;
import io.rookery.admin.cluster.HealthVerdict.Status;
import io.rookery.admin.plan.SlotRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Judges a {@link ClusterSnapshot} as redis-cli --cluster check does: every reachable node must hold
 * the same configuration (the primaries and their slots, redis-cli's "config signature"), no slot may
 * be open (migrating or importing), all 16384 slots must be covered, and no node may be failing or
 * unreachable.
 */
public final class HealthCheck {
    private HealthCheck() {
    }

    public static HealthVerdict judge(ClusterSnapshot snapshot) {
        List<Finding> findings = new ArrayList<>();
        for (NodeState n : snapshot.nodes()) {
            if (!n.reached()) {
                findings.add(new Finding(n.self().primary() && n.self().slotCount() > 0 ? Status.ERROR : Status.WARNING,
                        "Node " + n.id() + " (" + n.address() + ") can't be reached: " + n.error()));
            }
        }
        for (NodeState n : snapshot.nodes()) {
            for (NodeState peer : snapshot.nodes()) {
                peer.view().stream().filter(e -> e.id().equals(n.id()) && e.failing() && !e.myself()).findFirst()
                        .ifPresent(e -> findings.add(new Finding(n.self().primary() ? Status.ERROR : Status.WARNING,
                                "Node " + n.id() + " (" + n.address() + ") is flagged " + String.join(",", e.flags())
                                        + " by " + peer.id())));
            }
        }
        dedupe(findings);
        for (NodeState n : snapshot.nodes()) {
            if (n.reached() && "fail".equals(n.clusterState())) {
                findings.add(new Finding(Status.ERROR, "Node " + n.address() + " reports cluster_state:fail."));
            }
        }
        TreeSet<String> signatures = new TreeSet<>();
        for (NodeState n : snapshot.nodes()) {
            if (n.reached()) {
                signatures.add(signature(n));
            }
        }
        if (signatures.size() > 1) {
            findings.add(new Finding(Status.ERROR, "Nodes don't agree about configuration!"));
        }
        Map<Integer, List<String>> open = snapshot.openSlots();
        for (NodeState n : snapshot.nodes()) {
            if (!n.self().migrating().isEmpty()) {
                findings.add(new Finding(Status.WARNING, "Node " + n.address() + " has slots in migrating state "
                        + String.join(",", n.self().migrating().keySet().stream().map(String::valueOf).toList()) + "."));
            }
            if (!n.self().importing().isEmpty()) {
                findings.add(new Finding(Status.WARNING, "Node " + n.address() + " has slots in importing state "
                        + String.join(",", n.self().importing().keySet().stream().map(String::valueOf).toList()) + "."));
            }
        }
        if (!open.isEmpty()) {
            findings.add(new Finding(Status.WARNING, "The following slots are open: "
                    + String.join(",", open.keySet().stream().map(String::valueOf).toList()) + "."));
        }
        BitSet covered = snapshot.covered();
        if (covered.cardinality() < 16384) {
            findings.add(new Finding(Status.ERROR, "Not all 16384 slots are covered by nodes (" + covered.cardinality()
                    + " are)."));
        }
        Status status = findings.stream().map(Finding::level).reduce(Status.OK, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        return new HealthVerdict(status, List.copyOf(findings));
    }

    /**
     * Whether the cluster has settled after a change: every reachable node holds the same configuration
     * and no slot is open, and none of its nodes says cluster_state:fail (coverage and failing nodes aside: a job waits for its own changes to spread).
     */
    public static boolean settled(ClusterSnapshot snapshot) {
        TreeSet<String> signatures = new TreeSet<>();
        snapshot.nodes().stream().filter(NodeState::reached).forEach(n -> signatures.add(signature(n)));
        boolean serving = snapshot.nodes().stream().filter(NodeState::reached)
                .allMatch(n -> !"fail".equals(n.clusterState()) || n.view().size() <= 1);
        return signatures.size() <= 1 && snapshot.openSlots().isEmpty() && serving;
    }

    private static void dedupe(List<Finding> findings) {
        List<Finding> seen = new ArrayList<>();
        findings.removeIf(f -> {
            String key = f.text().replaceAll(" by [0-9a-f]+$", "");
            boolean dup = seen.stream().anyMatch(s -> s.text().replaceAll(" by [0-9a-f]+$", "").equals(key));
            if (!dup) {
                seen.add(f);
            }
            return dup;
        });
    }

    /** redis-cli's config signature: the sorted "id:slot ranges" of every primary with slots in a node's view. */
    static String signature(NodeState n) {
        TreeSet<String> parts = new TreeSet<>();
        for (ClusterNodeEntry e : n.view()) {
            if (e.primary() && e.slotCount() > 0) {
                parts.add(e.id() + ":" + String.join(",", e.slotRanges().stream().map(SlotRange::toString).toList()));
            }
        }
        return String.join("|", parts);
    }
}
