package io.rookery.admin.service;

import io.rookery.admin.cluster.ClusterConnections;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.ManagedCluster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link ClusterHandle} per managed cluster, made from the registry on first use and dropped when
 * the cluster's registration changes.
 */
class ClusterHandles implements AutoCloseable {
    private final JdbcClusterRegistry registry;
    private final NodeConnector connector;
    private final Map<String, ClusterHandle> handles = new ConcurrentHashMap<>();

    ClusterHandles(JdbcClusterRegistry registry, NodeConnector connector) {
        this.registry = registry;
        this.connector = connector;
    }

    /** The handle of cluster {@code name}; throws {@link UnknownClusterException} when it is not managed. */
    ClusterHandle get(String name) {
        return handles.computeIfAbsent(name, n -> {
            ManagedCluster c = registry.find(n).orElseThrow(() -> new UnknownClusterException(n));
            return new ClusterHandle(c.name(), c.seeds(), new ClusterConnections(connector, c.credentials()));
        });
    }

    /** Stores new seeds for {@code name} and hands them to its live handle (running jobs keep their connections). */
    void updateSeeds(String name, java.util.List<io.rookery.admin.cluster.NodeAddress> seeds) {
        registry.updateSeeds(name, seeds);
        ClusterHandle h = handles.get(name);
        if (h != null) {
            h.seeds(seeds);
        }
    }

    void invalidate(String name) {
        ClusterHandle h = handles.remove(name);
        if (h != null) {
            h.close();
        }
    }

    @Override
    public void close() {
        handles.values().forEach(ClusterHandle::close);
        handles.clear();
    }

    /** A request named a cluster the service does not manage (REST: 404). */
    static final class UnknownClusterException extends RuntimeException {
        UnknownClusterException(String name) {
            super("no managed cluster named '" + name + "'");
        }
    }
}
