package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * Told around every command the gate lets through, at any depth: a top-level command, each command
 * EXEC runs, each redis.call of a script (whose client is the script's own). Client-side caching
 * remembers the keys read commands served here, and knows which client's command is running.
 */
public interface CallObserver {
    void beforeCall(Client client, CommandSpec spec, byte[][] args);

    /** After the handler, its write observers, stats and MONITOR feed. */
    void afterCall(Client client, CommandSpec spec, byte[][] args);
}
