package io.rookery.node.command;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.pubsub.KeyspaceNotifications;

/**
 * The parts every command family uses through {@link CommandGroup}: the live config, the keyspace,
 * the gate (its change counter and the propagation of the running command) and keyspace notifications.
 */
public record CommandBasics(NodeConfig config, Keyspace keyspace, Dispatcher dispatcher,
                            KeyspaceNotifications notifications) {
}
