package io.rookery.admin.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the declared nodes are now, next to what was declared: all empty (the cluster can be created),
 * already the declared cluster (nothing to do), on the way there (wait), or something else — partly formed,
 * part of a cluster with nodes not declared, or formed in another shape — which the admin service must
 * leave alone and report, since acting on it could lose data.
 *
 * <p>A node is empty as redis-cli's clusterManagerNodeIsEmpty says: it knows no other node and has no key in
 * database 0 (and, as CreatePlanner also requires, owns no slot).
 */
public final class DeclaredTopologyCheck {
    private DeclaredTopologyCheck() {
    }

    /** What was found, and what the admin service should do about it. */
    public enum Kind {
        /** Some declared node can't be read yet: wait and read again. */
        UNREACHABLE(false),
        /** Every declared node is empty: create the cluster. */
        EMPTY(false),
        /** The declared nodes form the declared cluster and it is healthy: nothing to do. */
        FORMED(false),
        /** The declared nodes form the declared shape but the cluster is not healthy yet: wait and read again. */
        SETTLING(false),
        /** Some declared nodes are clustered and others not, or they form several clusters: leave alone. */
        PARTLY_FORMED(true),
        /** A declared node belongs to a cluster with nodes that were not declared: leave alone. */
        FOREIGN(true),
        /** The declared nodes form one cluster, in another shape than declared: leave alone. */
        DIFFERENT_SHAPE(true);

        private final boolean conflict;

        Kind(boolean conflict) {
            this.conflict = conflict;
        }

        /** Whether the nodes are in a state the admin service must not touch (it only reports it). */
        public boolean conflict() {
            return conflict;
        }
    }

    /** The finding with the reason in words an operator can act on. */
    public record Verdict(Kind kind, String reason) {
    }

    /**
     * Judges the declared nodes.
     *
     * @param idOf     each declared address's node id (CLUSTER MYID), absent for a node that did not answer
     * @param errors   why a declared address did not answer, for the reason
     * @param snapshot the cluster read from the declared nodes (null when none answered)
     */
    public static Verdict judge(DeclaredTopology declared, Map<NodeAddress, String> idOf, Map<NodeAddress, String> errors,
                                ClusterSnapshot snapshot) {
        List<String> missing = new ArrayList<>();
        for (NodeAddress a : declared.nodes()) {
            if (!idOf.containsKey(a)) {
                missing.add(a + (errors.containsKey(a) ? " (" + errors.get(a) + ")" : ""));
            }
        }
        if (!missing.isEmpty() || snapshot == null) {
            return new Verdict(Kind.UNREACHABLE, "waiting for declared node(s) " + String.join(", ", missing));
        }
        Set<String> ids = new LinkedHashSet<>();
        for (NodeAddress a : declared.nodes()) {
            if (!ids.add(idOf.get(a))) {
                return new Verdict(Kind.PARTLY_FORMED, "two declared addresses answer as the same node " + idOf.get(a));
            }
        }
        List<NodeState> nodes = new ArrayList<>();
        for (NodeAddress a : declared.nodes()) {
            NodeState n = snapshot.node(idOf.get(a)).orElse(null);
            if (n == null || !n.reached()) {
                return new Verdict(Kind.UNREACHABLE, "waiting for declared node " + a
                        + (n == null ? "" : " (" + n.error() + ")"));
            }
            nodes.add(n);
        }
        List<NodeState> empty = nodes.stream().filter(DeclaredTopologyCheck::empty).toList();
        if (empty.size() == nodes.size()) {
            return new Verdict(Kind.EMPTY, "every declared node is empty");
        }
        List<String> foreign = snapshot.nodes().stream().filter(n -> !ids.contains(n.id()))
                .map(n -> n.id() + " (" + n.address() + ")").toList();
        if (!foreign.isEmpty()) {
            return new Verdict(Kind.FOREIGN, "declared nodes belong to a cluster with nodes that were not declared: "
                    + String.join(", ", foreign) + "; left untouched");
        }
        List<String> apart = new ArrayList<>();
        for (NodeState n : nodes) {
            Set<String> known = n.view().stream().map(ClusterNodeEntry::id).collect(Collectors.toCollection(HashSet::new));
            if (!known.containsAll(ids)) {
                known.retainAll(ids);
                apart.add(n.address() + " knows " + known.size() + " of the " + ids.size() + " declared nodes");
            }
        }
        if (!apart.isEmpty()) {
            return new Verdict(Kind.PARTLY_FORMED, "the declared nodes are partly clustered ("
                    + (empty.isEmpty() ? "" : empty.size() + " empty, ") + String.join("; ", apart)
                    + "); left untouched");
        }
        List<NodeState> primaries = nodes.stream().filter(n -> n.self().primary() && n.self().slotCount() > 0).toList();
        long replicas = nodes.stream().filter(n -> n.self().replica()).count();
        boolean everyPrimaryHasItsReplicas = primaries.stream()
                .allMatch(p -> nodes.stream().filter(n -> p.id().equals(n.self().primaryId())).count()
                        >= declared.replicasPerPrimary());
        if (primaries.size() != declared.primaries() || replicas != nodes.size() - declared.primaries()
                || !everyPrimaryHasItsReplicas) {
            return new Verdict(Kind.DIFFERENT_SHAPE, "the declared nodes form a cluster of " + primaries.size()
                    + " primaries with slots and " + replicas + " replicas, not the declared " + declared
                    + "; left untouched");
        }
        HealthVerdict health = HealthCheck.judge(snapshot);
        List<String> notOk = nodes.stream().filter(n -> !"ok".equals(n.clusterState()))
                .map(n -> n.address() + " says cluster_state:" + n.clusterState()).toList();
        if (health.status() == HealthVerdict.Status.ERROR || snapshot.covered().cardinality() < 16384
                || !snapshot.openSlots().isEmpty() || !notOk.isEmpty()) {
            List<String> why = new ArrayList<>(notOk);
            health.findings().forEach(f -> why.add(f.text()));
            return new Verdict(Kind.SETTLING, "the declared cluster is formed but not healthy yet: " + String.join("; ", why));
        }
        return new Verdict(Kind.FORMED, "the declared nodes form the declared cluster (" + declared
                + "), all 16384 slots covered");
    }

    /** No other node known, no slot, no key in database 0. */
    static boolean empty(NodeState n) {
        return n.view().size() <= 1 && n.self().slotCount() == 0 && !n.self().replica() && !n.info().containsKey("db0");
    }
}
