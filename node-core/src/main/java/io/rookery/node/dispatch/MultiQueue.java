package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * The MULTI/EXEC hook of the gate: the transactions subsystem decides whether a command is queued
 * instead of run, and learns of commands the gate rejected (which abort EXEC).
 */
public interface MultiQueue {
    MultiQueue NONE = new MultiQueue() {
    };

    /** True when the command was queued (and the reply written); false to run it now. */
    default boolean queues(Client client, Command command, byte[][] args) {
        return false;
    }

    /** A command of {@code client} was rejected by the gate. */
    default void rejected(Client client) {
    }

    /**
     * EXEC itself was refused by the gate inside MULTI: discards the transaction and returns the
     * error to reply instead, or null to reply {@code error} as is.
     */
    default String execRefused(Client client, String error) {
        return null;
    }

    /**
     * The spec the state stage checks for EXEC of {@code client}: EXEC counts as a write (or denyoom,
     * or not allowed on a stale replica / while loading) when a queued command does, as Redis's
     * processCommand reads mstate.cmd_flags.
     */
    default CommandSpec execSpec(Client client, CommandSpec exec) {
        return exec;
    }

    /** The client disconnected. */
    default void forget(Client client) {
    }
}
