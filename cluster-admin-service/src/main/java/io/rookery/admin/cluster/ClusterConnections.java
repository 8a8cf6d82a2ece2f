package io.rookery.admin.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections to one cluster's nodes, opened on first use with the cluster's credentials and
 * reopened when a node dropped one. A connection may be shared by threads: its replies come back in
 * the order the commands went out, each to its caller.
 */
public final class ClusterConnections implements AutoCloseable {
    private final NodeConnector connector;
    private final Credentials credentials;
    private final Map<NodeAddress, NodeConnection> open = new ConcurrentHashMap<>();

    public ClusterConnections(NodeConnector connector, Credentials credentials) {
        this.connector = connector;
        this.credentials = credentials;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** An open connection to {@code address}; throws {@link NodeCommandException} when it can't be made. */
    public NodeConnection to(NodeAddress address) {
        NodeConnection c = open.get(address);
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (this) {
            c = open.get(address);
            if (c == null || !c.isOpen()) {
                c = connector.open(address, credentials);
                open.put(address, c);
            }
            return c;
        }
    }

    /**
     * A connection of the caller's own (who closes it), for command sequences that must not interleave
     * with other threads' commands, such as ASKING followed by the command it applies to.
     */
    public NodeConnection dedicated(NodeAddress address) {
        return connector.open(address, credentials);
    }

    /**
     * A connection of the caller's own (who closes it) on a blocking socket its waiting thread reads
     * itself ({@link NodeConnector#openDirect}): for a job's slot moves, a dozen round trips per slot.
     */
    public NodeConnection direct(NodeAddress address) {
        return connector.openDirect(address, credentials);
    }

    /** Drops the connection to {@code address} (after a timeout its replies would be out of step). */
    public void forget(NodeAddress address) {
        NodeConnection c = open.remove(address);
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void close() {
        open.values().forEach(NodeConnection::close);
        open.clear();
    }
}
