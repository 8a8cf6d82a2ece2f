package io.rookery.node.command;

import io.rookery.node.RookeryNode;
import io.rookery.node.dispatch.CommandRegistry;
import java.util.Arrays;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH; the logic lives in {@link io.rookery.node.multi.Transactions}. */
final class TransactionCommands extends CommandGroup {

    TransactionCommands(RookeryNode node) {
        super(node);
    }

    void register(CommandRegistry r) {
        r.register("multi", (c, a) -> node.transactions().multi(c))
                .register("exec", (c, a) -> node.transactions().exec(c))
                .register("discard", (c, a) -> node.transactions().discard(c))
                .register("watch", (c, a) -> node.transactions().watch(c, Arrays.copyOfRange(a, 1, a.length)))
                .register("unwatch", (c, a) -> {
                    node.transactions().unwatch(c);
                    c.reply().ok();
                });
    }
}
