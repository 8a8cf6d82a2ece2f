package io.rookery.node.command;

import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.protocol.command.CommandSpec;

/**
 * CLUSTER on a node without cluster mode: Redis 7.0 with {@code cluster-enabled no} knows the
 * command and its subcommands (their flags matter: a script calling CLUSTER RESET is told it is not
 * allowed from scripts) and answers each "ERR This instance has cluster support disabled". Cluster
 * mode replaces this family with the real one.
 */
final class DisabledClusterCommands {
    private DisabledClusterCommands() {
    }

    static void register(CommandRegistry r) {
        CommandSpec cluster = r.table().lookup("cluster");
        cluster.subcommands().values().forEach(sub -> r.register(sub.name(), (c, a) -> {
            throw new CommandError("ERR This instance has cluster support disabled");
        }));
    }
}
