package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans adding an empty node to a cluster, as {@code redis-cli --cluster add-node} does: the new node meets the
 * first healthy node of the snapshot (the seed), then, as a replica, is told to REPLICATE its primary — the given
 * one, or the one {@link ReplicaPlacement} picks (fewest replicas). A new primary owns no slots: a reshard or a
 * rebalance with use-empty-masters gives it some.
 */
public final class AddNodePlanner {

    /** The new node joins as an empty primary. */
    public Plan asPrimary(ClusterTopology topology, ClusterNode newNode) {
        ClusterNode seed = check(topology, newNode);
        List<ClusterNode> primariesAfter = new ArrayList<>(topology.primaries());
        primariesAfter.add(newNode);
        SlotMap map = new SlotMap(topology);
        return new Plan(PlanKind.ADD_NODE, "Add " + newNode.endpoint() + " as a primary owning no slots (a reshard"
                + " or rebalance with use-empty-masters gives it slots)", null, List.of(), List.of(), List.of(),
                List.of(meet(newNode, seed)), List.of(), List.of(), map.figures(topology.primaries(), null),
                map.figures(primariesAfter, null), List.of());
    }

    /**
     * The new node joins as a replica of {@code primaryId}, or, when {@code null}, of the primary with the fewest
     * replicas.
     */
    public Plan asReplica(ClusterTopology topology, ClusterNode newNode, String primaryId) {
        ClusterNode seed = check(topology, newNode);
        ClusterNode primary;
        String how;
        if (primaryId != null) {
            primary = topology.node(primaryId).filter(ClusterNode::isPrimary)
                    .orElseThrow(() -> new PlanRejectedException("[ERR] No such master ID " + primaryId));
            how = "the requested primary";
        } else {
            primary = new ReplicaPlacement(topology, null).place(newNode.host());
            if (primary == null) {
                throw new PlanRejectedException("[ERR] No healthy primary to replicate");
            }
            how = "the primary with the fewest replicas (" + topology.replicasOf(primary.id()).size() + ")";
        }
        List<String> notes = new ArrayList<>();
        if (primary.host().equals(newNode.host())
                && topology.primaries().stream().anyMatch(p -> !p.host().equals(newNode.host()))) {
            notes.add("[WARNING] The replica is on the same host as its primary " + primary.endpoint());
        }
        SlotMap map = new SlotMap(topology);
        List<PrimaryFigures> figures = map.figures(topology.primaries(), null);
        return new Plan(PlanKind.ADD_NODE, "Add " + newNode.endpoint() + " as a replica of " + primary.endpoint()
                + ", " + how, null, List.of(), List.of(), List.of(new ReplicaAssignment(newNode.id(), primary.id())),
                List.of(meet(newNode, seed)), List.of(), List.of(), figures, figures, notes);
    }

    private static NodeMeet meet(ClusterNode newNode, ClusterNode seed) {
        return new NodeMeet(newNode.id(), seed.host(), seed.port(), seed.busPort());
    }

    /** Checks the new node is empty and unknown; returns the node it meets. */
    private static ClusterNode check(ClusterTopology topology, ClusterNode newNode) {
        if (!newNode.slots().isEmpty() || !newNode.isPrimary()
                || newNode.keysBySlot().values().stream().anyMatch(keys -> keys > 0)
                || topology.node(newNode.id()).isPresent()) {
            throw new PlanRejectedException("[ERR] Node " + newNode.endpoint() + " is not empty. Either the node"
                    + " already knows other nodes (check with CLUSTER NODES) or contains some key in database 0.");
        }
        return topology.nodes().stream().filter(ClusterNode::healthy).findFirst()
                .orElseThrow(() -> new PlanRejectedException("[ERR] No healthy node in the cluster to meet"));
    }
}
