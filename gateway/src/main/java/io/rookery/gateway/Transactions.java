package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.cluster.Redirect;
import io.rookery.protocol.command.CommandSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MULTI/EXEC/DISCARD and WATCH/UNWATCH. The gateway queues a transaction itself (answering QUEUED,
 * refusing with CROSSSLOT a command whose keys leave the transaction's slot, which makes EXEC answer
 * EXECABORT as a cluster node would) and sends it whole at EXEC — MULTI, the commands, EXEC in one
 * write — to the slot's primary. Without WATCH that goes on the shared link: nothing can interleave
 * inside one write. WATCH pins a dedicated link to the watched slot's primary until EXEC, DISCARD or
 * UNWATCH. A transaction refused because its slot moved (MOVED while queuing) is sent again where the
 * slot went: EXECABORT guarantees nothing of it ran.
 */
final class Transactions {
    private static final byte[][] MULTI = BackendLink.args("MULTI");
    private static final byte[][] EXEC = BackendLink.args("EXEC");
    private static final byte[][] UNWATCH = BackendLink.args("UNWATCH");

    private final CommandRouter router;
    private final LoopBackends backends;

    Transactions(CommandRouter router, LoopBackends backends) {
        this.router = router;
        this.backends = backends;
    }

    void run(ClientSession c, CommandSpec spec, byte[][] args) {
        ClientState s = c.state;
        ClientSession.PendingReply r = c.enqueue(spec.name());
        switch (spec.name()) {
            case "multi" -> {
                if (s.inTransaction()) {
                    r.failed("ERR MULTI calls can not be nested");
                    return;
                }
                s.startTransaction();
                r.reply(CommandRouter.simple("OK"));
            }
            case "discard" -> {
                if (!s.inTransaction()) {
                    r.failed("ERR DISCARD without MULTI");
                    return;
                }
                s.endTransaction();
                unwatch(s, null);
                r.reply(CommandRouter.simple("OK"));
            }
            case "exec" -> {
                if (!s.inTransaction()) {
                    r.failed("ERR EXEC without MULTI");
                    return;
                }
                List<byte[][]> queued = s.queued;
                int slot = s.txnSlot;
                boolean dirty = s.txnDirty;
                BackendLink watch = s.watchLink;
                s.endTransaction();
                s.watchLink = null;
                if (dirty) {
                    if (watch != null) {
                        watch.send(UNWATCH, Receiver.DISCARD, timeout());
                        backends.release(watch);
                    }
                    r.failed("EXECABORT Transaction discarded because of previous errors.");
                    return;
                }
                c.state.wrote(slot);
                String owner = slot >= 0 ? backends.gateway().topology().current().ownerOf(slot)
                        : RoutedRequest.firstPrimary(backends.gateway().topology().current());
                new Exec(c, queued, r, watch).send(owner, 0);
            }
            case "watch" -> watch(c, args, r);
            case "unwatch" -> {
                if (s.watchLink == null) {
                    r.reply(CommandRouter.simple("OK"));
                } else {
                    unwatch(s, r);
                }
            }
            default -> r.failed("ERR unexpected transaction command");
        }
    }

    private long timeout() {
        return TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis());
    }

    private void watch(ClientSession c, byte[][] args, ClientSession.PendingReply r) {
        ClientState s = c.state;
        if (s.inTransaction()) {
            r.failed("ERR WATCH inside MULTI is not allowed");
            return;
        }
        CommandSpec spec = backends.gateway().commands().lookup("watch");
        int slot = router.slotOf(c, spec, args, false);
        if (slot == CommandRouter.CROSSSLOT || (s.txnSlot >= 0 && slot != s.txnSlot)) {
            r.failed("CROSSSLOT Keys in request don't hash to the same slot");
            return;
        }
        if (s.watchLink == null || s.watchLink.closed()) {
            String owner = backends.gateway().topology().current().ownerOf(slot);
            if (owner == null) {
                r.failed("CLUSTERDOWN Hash slot not served");
                return;
            }
            BackendLink link = backends.dedicated(owner, c.protocol);
            if (link == null) {
                r.failed("ERR gateway: max number of dedicated backend connections reached");
                return;
            }
            s.watchLink = link;
        }
        s.txnSlot = slot;
        s.watchLink.send(args, r, timeout());
    }

    private void unwatch(ClientState s, Receiver r) {
        BackendLink link = s.watchLink;
        s.watchLink = null;
        s.txnSlot = -1;
        if (link == null) {
            return;
        }
        link.send(UNWATCH, r == null ? Receiver.DISCARD : r, timeout());
        backends.release(link);
    }

    /** Queues a command inside MULTI: QUEUED, or CROSSSLOT (and EXECABORT later) when it leaves the slot. */
    void queue(ClientSession c, CommandSpec spec, byte[][] args) {
        ClientState s = c.state;
        ClientSession.PendingReply r = c.enqueue(spec.name());
        int slot = router.slotOf(c, spec, args, false);
        if (slot == CommandRouter.CROSSSLOT || (slot >= 0 && s.txnSlot >= 0 && slot != s.txnSlot)) {
            s.txnDirty = true;
            r.failed("CROSSSLOT Keys in request don't hash to the same slot");
            return;
        }
        if (slot >= 0) {
            s.txnSlot = slot;
        }
        s.queued.add(args);
        r.reply(CommandRouter.simple("QUEUED"));
    }

    /** One EXEC on its way: MULTI, the queued commands and EXEC in one write, retried if its slot moved. */
    private final class Exec {
        private final ClientSession client;
        private final List<byte[][]> queued;
        private final Receiver target;
        private final BackendLink watch;
        private String movedTo;
        private boolean askedElsewhere;

        Exec(ClientSession client, List<byte[][]> queued, Receiver target, BackendLink watch) {
            this.client = client;
            this.queued = queued;
            this.target = target;
            this.watch = watch;
        }

        void send(String owner, int attempt) {
            if (owner == null && watch == null) {
                target.failed("CLUSTERDOWN Hash slot not served");
                return;
            }
            String down = watch == null ? backends.unreachable(owner) : null;
            if (down != null) {
                target.failed(down);
                return;
            }
            movedTo = null;
            askedElsewhere = false;
            backends.invalidations().sending(client, watch != null ? watch.address : owner);
            BackendLink link = watch != null ? watch : backends.shared(owner, client.protocol);
            link.send(MULTI, Receiver.DISCARD, timeout());
            Receiver queuedReply = new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    if (buf.getByte(from) == '-') {
                        Redirect rd = Redirect.parse(ReplyFramer.line(buf, from));
                        if (rd != null && rd.kind() == Redirect.Kind.MOVED) {
                            movedTo = rd.host() + ":" + rd.port();
                        } else if (rd != null) {
                            askedElsewhere = true;
                        }
                    }
                }

                @Override
                public void failed(String error) {
                }
            };
            for (byte[][] cmd : queued) {
                link.send(cmd, queuedReply, timeout());
            }
            link.send(EXEC, new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    if (watch != null) {
                        backends.release(watch);
                    }
                    boolean aborted = buf.getByte(from) == '-' && ReplyFramer.line(buf, from).startsWith("EXECABORT");
                    int max = backends.gateway().config().maxRedirects();
                    if (aborted && watch == null && attempt < max && (movedTo != null || askedElsewhere)) {
                        GatewayStats stats = backends.gateway().stats();
                        if (movedTo != null) {
                            stats.redirected(GatewayStats.Redirection.MOVED);
                            backends.gateway().topology().moved();
                            send(movedTo, attempt + 1);
                        } else {
                            stats.redirected(GatewayStats.Redirection.ASK);
                            backends.loop().schedule(() -> send(owner, attempt + 1), 50L * (attempt + 1),
                                    TimeUnit.MILLISECONDS);
                        }
                        return;
                    }
                    target.reply(buf, from, to);
                }

                @Override
                public void failed(String error) {
                    target.failed(error);
                }
            }, timeout());
        }
    }
}
