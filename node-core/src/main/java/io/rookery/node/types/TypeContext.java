package io.rookery.node.types;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.MemoryCounter;

/** What every collection value shares: where to report its size, and the encoding thresholds. */
public record TypeContext(MemoryCounter memory, NodeConfig config) {
}
