package io.rookery.node;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.protocol.command.CommandTable;

/**
 * The node's mode, chosen once when the node is assembled; everything that differs between modes is
 * decided here rather than by flag checks spread over the engine. A cluster node will be a third
 * profile (cluster bus, slot routing in the gate).
 */
public enum NodeProfile {
    /** A Redis data node: the full command table, a dataset that is loaded, saved and replicated. */
    DATA_NODE("standalone", true),
    /** The server side of a sentinel: the sentinel command subset and no dataset. */
    SENTINEL_HOST("sentinel", false);

    private final String redisMode;
    private final boolean keepsDataset;

    NodeProfile(String redisMode, boolean keepsDataset) {
        this.redisMode = redisMode;
        this.keepsDataset = keepsDataset;
    }

    /** The profile {@code config} asks for ({@code sentinelMode} is set by the sentinel service). */
    public static NodeProfile of(NodeConfig config) {
        return config.sentinelMode ? SENTINEL_HOST : DATA_NODE;
    }

    /** INFO redis_mode and HELLO's mode. */
    public String redisMode() {
        return redisMode;
    }

    /**
     * Whether the node holds a dataset: loads it at start, saves it (save points, AOF), follows a
     * configured primary. A sentinel host keeps none.
     */
    public boolean keepsDataset() {
        return keepsDataset;
    }

    /** The commands this profile serves, with no handlers yet. */
    CommandRegistry newRegistry() {
        return this == SENTINEL_HOST
                ? new CommandRegistry(CommandTable.sentinel(), true)
                : new CommandRegistry(CommandTable.standard());
    }
}
