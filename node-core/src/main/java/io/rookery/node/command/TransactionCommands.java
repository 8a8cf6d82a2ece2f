package io.rookery.node.command;

import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.multi.Transactions;
import java.util.Arrays;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH; the logic lives in {@link io.rookery.node.multi.Transactions}. */
final class TransactionCommands extends CommandGroup {

    private final Transactions transactions;

    TransactionCommands(CommandBasics basics, Transactions transactions) {
        super(basics);
        this.transactions = transactions;
    }

    void register(CommandRegistry r) {
        r.register("multi", (c, a) -> transactions.multi(c))
                .register("exec", (c, a) -> transactions.exec(c))
                .register("discard", (c, a) -> transactions.discard(c))
                .register("watch", (c, a) -> transactions.watch(c, Arrays.copyOfRange(a, 1, a.length)))
                .register("unwatch", (c, a) -> {
                    transactions.unwatch(c);
                    c.reply().ok();
                });
    }
}
