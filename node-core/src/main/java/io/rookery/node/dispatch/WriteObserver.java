package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * Told after every command that changed data (the dirty counter moved), inside EXEC too: WATCH
 * touches its keys here; persistence and replication will propagate here.
 */
@FunctionalInterface
public interface WriteObserver {
    void written(Client client, CommandSpec spec, byte[][] args, int db);
}
