package io.rookery.admin.cluster;

import java.util.List;

/**
 * The cluster an operator declares in the admin service's configuration: these nodes, with
 * {@code replicasPerPrimary} replicas per primary — so {@code nodes / (replicasPerPrimary + 1)} primaries,
 * the rest replicas, as {@code redis-cli --cluster create --cluster-replicas N} shapes it.
 */
public record DeclaredTopology(List<NodeAddress> nodes, int replicasPerPrimary) {
    public DeclaredTopology {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a declared topology needs at least one node");
        }
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("a declared topology lists a node twice: " + nodes);
        }
        if (replicasPerPrimary < 0) {
            throw new IllegalArgumentException("replicas per primary must be 0 or more, not " + replicasPerPrimary);
        }
    }

    /** How many of the nodes are primaries owning slots once the cluster is formed. */
    public int primaries() {
        return nodes.size() / (replicasPerPrimary + 1);
    }

    @Override
    public String toString() {
        return nodes.size() + " nodes (" + primaries() + " primaries, " + replicasPerPrimary + " replica(s) per primary)";
    }
}
