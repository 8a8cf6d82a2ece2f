package io.rookery.node.command;

import io.rookery.node.RookeryNode;
import io.rookery.node.dispatch.CommandRegistry;

/** Registers every command family's handlers with the node's registry, explicitly. */
public final class CommandSet {
    private CommandSet() {
    }

    public static void registerAll(RookeryNode node) {
        CommandRegistry r = node.registry();
        new StringCommands(node).register(r);
        new BitCommands(node).register(r);
        new KeyCommands(node).register(r);
        new ExpireCommands(node).register(r);
        new ObjectCommands(node).register(r);
        new ConnectionCommands(node).register(r);
        new ClientCommands(node).register(r);
        new ServerCommands(node).register(r);
        new CommandCommands(node).register(r);
        new HashCommands(node).register(r);
        new ListCommands(node).register(r);
        new SetCommands(node).register(r);
        new ZSetCommands(node).register(r);
        new SortCommand(node).register(r);
        new TransactionCommands(node).register(r);
        new PubSubCommands(node).register(r);
        new PersistenceCommands(node).register(r);
        new ReplicationCommands(node).register(r);
        new DebugCommands(node).register(r);
        new io.rookery.node.scripting.ScriptingCommands(node).register(r);
    }
}
