package io.rookery.admin.cluster;

import io.rookery.protocol.RespValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a cluster as redis-cli --cluster check does: CLUSTER NODES from every seed that answers (so
 * nodes not yet joined, as for a create, are read too), then every node those views list is asked for its own CLUSTER NODES, CLUSTER INFO and INFO. Nodes
 * that only the other nodes know of (a new node met through one of them) are followed too. A node that
 * cannot be reached stays in the snapshot with the entry its peers gave for it and the error.
 */
public final class ClusterReader {
    private final ClusterConnections connections;

    public ClusterReader(ClusterConnections connections) {
        this.connections = connections;
    }

    /** Reads again, at most this often, a snapshot that straddled a slot's handover. */
    private static final int HANDOVER_REREADS = 3;

    /**
     * The snapshot; throws {@link NodeCommandException} when no seed answers CLUSTER NODES. Nodes are
     * read one after the other, so a read can fall across a slot's handover and see the slot owned by
     * nobody ({@link ClusterSnapshot#straddlesAHandover}); it is then read again (a handover takes a
     * round trip or two), so that views, plans and checks do not report a slot the cluster never lost.
     */
    public ClusterSnapshot read(List<NodeAddress> seeds) {
        ClusterSnapshot s = readOnce(seeds);
        for (int i = 0; i < HANDOVER_REREADS && s.straddlesAHandover(); i++) {
            s = readOnce(seeds);
        }
        return s;
    }

    private ClusterSnapshot readOnce(List<NodeAddress> seeds) {
        NodeCommandException last = null;
        Map<String, ClusterNodeEntry> known = new LinkedHashMap<>();
        for (NodeAddress seed : seeds) {
            try {
                ClusterNodesParser.parse(connections.to(seed).text("CLUSTER", "NODES")).stream()
                        .map(e -> e.myself() && e.address() == null ? withAddress(e, seed) : e)
                        .forEach(e -> known.putIfAbsent(e.id(), e));
            } catch (NodeCommandException e) {
                last = e;
            }
        }
        if (known.isEmpty()) {
            throw last != null ? last : new NodeCommandException(null, null, "no seed address given", null);
        }
        Map<String, NodeState> states = new LinkedHashMap<>();
        Set<String> visited = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ClusterNodeEntry entry : List.copyOf(known.values())) {
                if (!visited.add(entry.id())) {
                    continue;
                }
                NodeState s = readNode(entry);
                states.put(entry.id(), s);
                for (ClusterNodeEntry e : s.view()) {
                    if (known.putIfAbsent(e.id(), e) == null) {
                        grew = true;
                    }
                }
            }
        }
        return new ClusterSnapshot(new ArrayList<>(states.values()), Instant.now());
    }

    /** One node's own view; a node listed as unreachable or failing is still tried (it may be back). */
    private NodeState readNode(ClusterNodeEntry asSeen) {
        if (asSeen.address() == null) {
            return new NodeState(asSeen, List.of(), null, Map.of(), "no address known");
        }
        try {
            NodeConnection c = connections.to(asSeen.address());
            List<RespValue> replies = c.callAll(List.of(new String[]{"CLUSTER", "NODES"}, new String[]{"CLUSTER", "INFO"},
                    new String[]{"INFO", "all"}));
            for (RespValue r : replies) {
                if (r instanceof RespValue.Error e) {
                    return new NodeState(asSeen, List.of(), null, Map.of(), e.message());
                }
            }
            List<ClusterNodeEntry> view = ClusterNodesParser.parse(RespValues.text(replies.get(0)));
            ClusterNodeEntry self = view.stream().filter(ClusterNodeEntry::myself).findFirst().orElse(asSeen);
            if (!self.id().equals(asSeen.id())) {
                return new NodeState(asSeen, List.of(), null, Map.of(), "the address now answers as node " + self.id());
            }
            Map<String, String> clusterInfo = InfoText.parse(RespValues.text(replies.get(1)));
            return new NodeState(withAddress(self, asSeen), view, clusterInfo.get("cluster_state"),
                    InfoText.parse(RespValues.text(replies.get(2))), null);
        } catch (NodeCommandException e) {
            connections.forget(asSeen.address());
            return new NodeState(asSeen, List.of(), null, Map.of(), e.getMessage());
        }
    }

    /**
     * A node that does not know its own address yet (a fresh node shows {@code :port} or an address
     * it learnt from a MEET) keeps the address it was reached at.
     */
    private static ClusterNodeEntry withAddress(ClusterNodeEntry self, ClusterNodeEntry asSeen) {
        return self.address() != null ? self : withAddress(self, asSeen.address());
    }

    private static ClusterNodeEntry withAddress(ClusterNodeEntry self, NodeAddress address) {
        return new ClusterNodeEntry(self.id(), address, self.busPort(), self.hostname(), self.flags(),
                self.primaryId(), self.pingSent(), self.pongReceived(), self.configEpoch(), self.linkState(),
                self.slots(), self.migrating(), self.importing());
    }
}
