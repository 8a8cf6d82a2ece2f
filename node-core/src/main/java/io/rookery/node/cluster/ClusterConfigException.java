package io.rookery.node.cluster;

/** The cluster config cannot be used (corrupt, locked by another node, unreadable): the node must not start. */
public final class ClusterConfigException extends Exception {
    public ClusterConfigException(String message) {
        super(message);
    }
}
