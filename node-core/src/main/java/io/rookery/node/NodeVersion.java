package io.rookery.node;

/** The versions a node reports: its own, and the Redis version whose behaviour it follows. */
public final class NodeVersion {
    public static final String REDIS_VERSION = "7.0.15";
    public static final String VERSION = "0.1.0";

    private NodeVersion() {
    }
}
