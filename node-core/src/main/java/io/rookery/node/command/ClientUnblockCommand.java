package io.rookery.node.command;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;

/**
 * CLIENT UNBLOCK id [TIMEOUT | ERROR]: ends another client's wait in a blocking command (BLPOP,
 * BLMOVE, BZPOPMIN, ...) as if it had timed out, or with the {@code UNBLOCKED} error; replies 1 when
 * that client was waiting, 0 otherwise (unknown id, or not blocked). The reason is checked before
 * the id, as Redis does.
 */
final class ClientUnblockCommand extends CommandGroup {

    private final ClientRegistry clients;
    private final Blocking blocking;

    ClientUnblockCommand(CommandBasics basics, ClientRegistry clients, Blocking blocking) {
        super(basics);
        this.clients = clients;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("client|unblock", this::unblock);
    }

    private void unblock(Client c, byte[][] a) {
        if (a.length > 4) {
            throw new CommandError("ERR syntax error");
        }
        boolean error = false;
        if (a.length == 4) {
            if (Args.is(a[3], "ERROR")) {
                error = true;
            } else if (!Args.is(a[3], "TIMEOUT")) {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        Client target = clients.get(Args.integer(a[2]));
        boolean unblocked = target != null && blocking.unblock(target, error);
        if (unblocked && error) {
            dispatcher.countErrorAfterBlocking(target.lastCommand, Blocking.UNBLOCKED);
        }
        c.reply().integer(unblocked ? 1 : 0);
    }
}
