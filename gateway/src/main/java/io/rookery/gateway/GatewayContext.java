package io.rookery.gateway;

import io.rookery.protocol.command.CommandTable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every event loop of a gateway shares: its config, the topology, the statistics, the command
 * table and the count of dedicated backend connections.
 */
record GatewayContext(GatewayConfig config, Topology topology, GatewayStats stats, CommandTable commands,
                      AtomicInteger pinned, ClientRegistry clients) {
}
