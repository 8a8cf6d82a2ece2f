package io.rookery.node.command;

import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.protocol.command.CommandSpec;

/**
 * CLUSTER on a node with cluster mode off, as Redis 7.0 answers it: every subcommand (HELP included)
 * replies that cluster support is disabled, after the gate checked its arity. The table lists them so
 * COMMAND INFO/LIST/DOCS show them as Redis does.
 */
final class ClusterCommands {
    static final String DISABLED = "ERR This instance has cluster support disabled";

    private ClusterCommands() {
    }

    static void register(CommandRegistry r) {
        CommandSpec cluster = r.table().lookup("cluster");
        if (cluster == null) {
            return; // a registry serving a subset (sentinel mode) has no CLUSTER
        }
        for (String sub : cluster.subcommands().keySet()) {
            r.register("cluster|" + sub, (c, a) -> {
                throw new CommandError(DISABLED);
            });
        }
    }
}
