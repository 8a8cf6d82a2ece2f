package io.rookery.admin.cluster;

import java.util.List;
import java.util.Optional;

/**
 * One managed cluster as the executor and the REST side reach it: its seeds, its connections (with its
 * credentials), and the last snapshot read, re-read on demand or when a node id is not in it (a node
 * that joined since).
 */
public final class ClusterHandle implements AutoCloseable {
    private final String name;
    private volatile List<NodeAddress> seeds;
    private final ClusterConnections connections;
    private final ClusterReader reader;
    private volatile ClusterSnapshot last;

    public ClusterHandle(String name, List<NodeAddress> seeds, ClusterConnections connections) {
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.connections = connections;
        this.reader = new ClusterReader(connections);
    }

    public String name() {
        return name;
    }

    public List<NodeAddress> seeds() {
        return seeds;
    }

    /** Replaces the seeds (a node joined, or one left and must no longer be read as a member). */
    public void seeds(List<NodeAddress> newSeeds) {
        seeds = List.copyOf(newSeeds);
    }

    public ClusterConnections connections() {
        return connections;
    }

    public Credentials credentials() {
        return connections.credentials();
    }

    /** Reads the cluster now. */
    public ClusterSnapshot refresh() {
        ClusterSnapshot s = reader.read(seeds);
        last = s;
        return s;
    }

    /** The last snapshot, read now if there is none. */
    public ClusterSnapshot snapshot() {
        ClusterSnapshot s = last;
        return s != null ? s : refresh();
    }

    /** The address of node {@code id}, re-reading the cluster once when the last snapshot lacks it. */
    public NodeAddress address(String id) {
        Optional<NodeState> n = snapshot().node(id);
        if (n.isEmpty() || n.get().address() == null) {
            n = refresh().node(id);
        }
        return n.map(NodeState::address).orElseThrow(() -> new NodeCommandException(null, null,
                "node " + id + " is not known to cluster " + name, null));
    }

    /** A connection to node {@code id}. */
    public NodeConnection node(String id) {
        return connections.to(address(id));
    }

    @Override
    public void close() {
        connections.close();
    }
}
