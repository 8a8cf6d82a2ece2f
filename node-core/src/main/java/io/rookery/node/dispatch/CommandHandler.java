package io.rookery.node.dispatch;

import io.rookery.node.client.Client;

/**
 * A command's logic: parse arguments, call the keyspace, write the reply. Runs only after the
 * {@link Dispatcher} gate has passed, on the command thread. May throw {@link CommandError}.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client client, byte[][] args);
}
