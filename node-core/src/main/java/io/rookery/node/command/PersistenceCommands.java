package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.persistence.Persistence;
import java.io.IOException;

/** SAVE, BGSAVE [SCHEDULE], LASTSAVE. */
final class PersistenceCommands extends CommandGroup {

    private final Persistence persistence;

    PersistenceCommands(CommandBasics basics, Persistence persistence) {
        super(basics);
        this.persistence = persistence;
    }

    void register(CommandRegistry r) {
        r.register("save", this::save)
                .register("bgsave", this::bgsave)
                .register("lastsave", (c, a) -> c.reply().integer(persistence.lastSaveSeconds()))
                .register("bgrewriteaof", (c, a) -> {
                    if (persistence.aofRewriteInProgress()) {
                        throw new CommandError("ERR Background append only file rewriting already in progress");
                    }
                    if (persistence.rewriteAof()) {
                        c.reply().simple("Background append only file rewriting started");
                    } else {
                        c.reply().simple("Background append only file rewriting scheduled");
                    }
                });
    }

    private void save(Client c, byte[][] a) {
        if (persistence.bgsaveInProgress()) {
            throw new CommandError("ERR Background save already in progress");
        }
        try {
            persistence.save();
            c.reply().ok();
        } catch (IOException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
    }

    private void bgsave(Client c, byte[][] a) {
        if (a.length > 2 || a.length == 2 && !Args.is(a[1], "SCHEDULE")) {
            throw Errors.syntax();
        }
        if (persistence.aofRewriteInProgress()) {
            if (a.length == 2) {
                persistence.scheduleBgsave();
                c.reply().simple("Background saving scheduled");
                return;
            }
            throw new CommandError("ERR An AOF log rewriting in progress: can't BGSAVE right now. Use BGSAVE SCHEDULE in "
                    + "order to schedule a BGSAVE whenever possible.");
        }
        if (!persistence.bgsave()) {
            throw new CommandError("ERR Background save already in progress");
        }
        c.reply().simple("Background saving started");
    }
}
