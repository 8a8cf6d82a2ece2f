package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * One state check of the gate (subscribed context, OOM, loading, MISCONF, stale data, read-only
 * replica, min-replicas). Each has its named slot in {@link GateStages}, which fixes the order.
 */
@FunctionalInterface
public interface CommandGuard {
    /** The stage that is off: lets every command through. */
    CommandGuard PASS = (client, spec, args) -> null;

    /** Returns the error to reply instead of running the command, or null to let it through. */
    String check(Client client, CommandSpec spec, byte[][] args);
}
