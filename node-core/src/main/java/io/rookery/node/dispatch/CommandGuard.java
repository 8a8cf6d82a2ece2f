package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * One state check of the gate (OOM, loading, read-only replica, MISCONF, min-replicas, cluster slot).
 * Subsystems register guards with the {@link Dispatcher}; the gate runs them in registration order
 * after arity and auth and before MULTI queueing.
 */
@FunctionalInterface
public interface CommandGuard {
    /** Returns the error to reply instead of running the command, or null to let it through. */
    String check(Client client, CommandSpec spec, byte[][] args);
}
