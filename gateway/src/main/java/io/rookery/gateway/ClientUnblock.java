package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.rookery.protocol.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR] for a gateway client blocked in BLPOP, BZPOPMIN, XREAD BLOCK,
 * WAIT, ...: such a command waits on a dedicated backend connection, so the gateway asks that backend
 * to CLIENT UNBLOCK the connection (its id learned when the link was opened). The backend then answers
 * the blocked command as Redis does — the command's timeout reply, or {@code -UNBLOCKED client
 * unblocked via CLIENT UNBLOCK} — and that reply reaches the blocked client the usual way. The caller
 * gets 1 when a backend unblocked one, else 0 (not blocked, not a client of the gateway, or the
 * command finished meanwhile), as redis-server 7.0 answers.
 */
final class ClientUnblock {
    private final GatewayContext gateway;
    private final LoopBackends backends;

    ClientUnblock(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
    }

    /** A dedicated link of the target, by its backend and its client id there. */
    private record Blocked(String address, long backendClientId) {
    }

    void run(ClientSession c, byte[][] args, ClientSession.PendingReply r) {
        String reason = "TIMEOUT";
        if (args.length == 4) {
            reason = CommandRouter.text(args[3]).toUpperCase(Locale.ROOT);
            if (!reason.equals("TIMEOUT") && !reason.equals("ERROR")) {
                r.failed("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        } else if (args.length != 3) {
            r.failed("ERR unknown subcommand or wrong number of arguments for '" + CommandRouter.clip(args[1])
                    + "'. Try CLIENT HELP.");
            return;
        }
        long id = Numbers.parseLong(args[2]);
        if (id == Numbers.INVALID) {
            r.failed("ERR value is not an integer or out of range");
            return;
        }
        ClientSession target = gateway.clients().byId(id);
        EventLoop targetLoop = target == null ? null : target.loop();
        if (targetLoop == null) {
            r.reply(CommandRouter.integerReply(0));
            return;
        }
        String why = reason;
        EventLoop home = backends.loop();
        targetLoop.execute(() -> {
            List<Blocked> blocked = new ArrayList<>();
            for (BackendLink l : target.blockedLinks()) {
                if (!l.closed() && l.backendClientId > 0) {
                    blocked.add(new Blocked(l.address, l.backendClientId));
                }
            }
            home.execute(() -> unblock(blocked, why, r));
        });
    }

    /** Asks each backend to unblock the link; replies 1 when one did. */
    private void unblock(List<Blocked> blocked, String reason, ClientSession.PendingReply r) {
        if (blocked.isEmpty()) {
            r.reply(CommandRouter.integerReply(0));
            return;
        }
        int[] waiting = {blocked.size()};
        boolean[] unblocked = {false};
        for (Blocked b : blocked) {
            backends.shared(b.address(), 2).send(BackendLink.args("CLIENT", "UNBLOCK", Long.toString(b.backendClientId()),
                    reason), new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    if (buf.getByte(from) == ':' && buf.getByte(from + 1) == '1') {
                        unblocked[0] = true;
                    }
                    done();
                }

                @Override
                public void failed(String error) {
                    done();
                }

                private void done() {
                    if (--waiting[0] == 0) {
                        r.reply(CommandRouter.integerReply(unblocked[0] ? 1 : 0));
                    }
                }
            }, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(gateway.config().requestTimeoutMillis()));
        }
    }
}
