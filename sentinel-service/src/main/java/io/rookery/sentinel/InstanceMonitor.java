package io.rookery.sentinel;

import io.rookery.node.server.RespServer;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.client.RespClient;
import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import io.rookery.sentinel.SentinelEvents.Level;

/**
 * The monitoring half: keeps the links to every instance up and sends the periodic traffic failure
 * detection and discovery live on.
 *
 * <ul>
 *   <li>A disconnected link is reconnected at most once per ping period: a command connection (AUTH
 *       when configured, CLIENT SETNAME sentinel-&lt;id&gt;-cmd, an immediate PING) and, for primaries
 *       and replicas, a pub/sub connection subscribed to {@code __sentinel__:hello}.</li>
 *   <li>INFO to primaries and replicas every info period (every second for the replicas of a primary
 *       that is ODOWN or failing over, or of one whose link is down), PING whenever the last answer is
 *       older than the ping period (or down-after-milliseconds, if shorter), and a hello every publish
 *       period to every kind of instance.</li>
 * </ul>
 */
final class InstanceMonitor {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Sentinel s;

    InstanceMonitor(Sentinel s) {
        this.s = s;
    }

    void reconnect(Instance ri) {
        InstanceLink link = ri.link;
        if (!link.disconnected || ri.addr.port() == 0) {
            return;
        }
        long now = s.now();
        if (now - link.lastReconnectAttempt < s.timings.pingPeriod) {
            return;
        }
        link.lastReconnectAttempt = now;
        if (link.commands == null) {
            if (s.resolveHostnames) {
                // the instance may have been unresolvable earlier, or come back under a new address
                try {
                    ri.addr = InstanceAddress.of(ri.addr.hostname(), ri.addr.port(), true, false);
                } catch (InstanceRejected e) {
                    // keep the old address and try again next time
                }
            }
            RespClient cc = connect(ri, "-cmd-link-reconnection");
            if (cc != null) {
                link.commands = cc;
                link.pendingCommands = 0;
                link.commandsConnectedAt = now;
                cc.onClose(() -> link.lost(cc));
                sendAuthIfNeeded(ri, cc);
                setClientName(ri, cc, "cmd");
                sendPing(ri);
            }
        }
        if (ri.kind != Kind.SENTINEL && link.pubsub == null) {
            RespClient pc = connect(ri, "-pubsub-link-reconnection");
            if (pc != null) {
                link.pubsub = pc;
                link.pubsubConnectedAt = now;
                pc.onClose(() -> link.lost(pc));
                sendAuthIfNeeded(ri, pc);
                setClientName(ri, pc, "pubsub");
                pc.onPush(message -> s.hello.receive(ri, message));
                pc.send(ri.owner().command("SUBSCRIBE"), Sentinel.HELLO_CHANNEL).thenAccept(reply -> {
                    if (!ri.released) {
                        ri.link.pubsubLastActivity = s.now();
                    }
                });
            }
        }
        if (link.commands != null && (ri.kind == Kind.SENTINEL || link.pubsub != null)) {
            link.disconnected = false;
        }
    }

    private RespClient connect(Instance ri, String failureEvent) {
        if (ri.addr.ip().isEmpty()) {
            s.events.about(Level.DEBUG, failureEvent, ri, "#Failed to establish connection");
            return null;
        }
        try {
            return RespClient.connect(s.node.loop(), RespServer.clientChannelType(), ri.addr.ip(), ri.addr.port(),
                    CONNECT_TIMEOUT_MILLIS);
        } catch (RuntimeException e) {
            s.events.about(Level.DEBUG, failureEvent, ri, "#" + e.getMessage());
            return null;
        }
    }

    /**
     * AUTH on a fresh connection: with the primary's auth-pass (and auth-user) for primaries and
     * replicas; for other sentinels with sentinel-pass (and sentinel-user), or else with this
     * sentinel's own requirepass, which sentinels are assumed to share.
     */
    private void sendAuthIfNeeded(Instance ri, RespClient via) {
        String pass;
        String user;
        if (ri.kind == Kind.SENTINEL) {
            if (s.sentinelPass != null) {
                pass = s.sentinelPass;
                user = s.sentinelUser;
            } else {
                pass = s.node.parts().config().requirepass.isEmpty() ? null : s.node.parts().config().requirepass;
                user = null;
            }
        } else {
            pass = ri.owner().authPass;
            user = ri.owner().authUser;
        }
        if (pass == null) {
            return;
        }
        String auth = ri.owner().command("AUTH");
        if (user == null) {
            sendIgnoringReply(ri, via, auth, pass);
        } else {
            sendIgnoringReply(ri, via, auth, user, pass);
        }
    }

    /** CLIENT SETNAME sentinel-&lt;first 8 chars of our id&gt;-&lt;cmd|pubsub&gt;, for CLIENT LIST readers. */
    private void setClientName(Instance ri, RespClient via, String type) {
        String name = "sentinel-" + s.myId.substring(0, 8) + "-" + type;
        sendIgnoringReply(ri, via, ri.owner().command("CLIENT"), "SETNAME", name);
    }

    /** A command whose reply nobody reads (AUTH, SETNAME): a failure shows up as a failing link anyway. */
    private void sendIgnoringReply(Instance ri, RespClient via, String... args) {
        if (via == ri.link.commands) {
            ri.link.send(reply -> { }, args);
        } else {
            via.send(args);
        }
    }

    void sendPeriodicCommands(Instance ri) {
        InstanceLink link = ri.link;
        if (link.disconnected || link.pendingCommands >= Sentinel.MAX_PENDING_COMMANDS * link.refcount) {
            return;
        }
        long now = s.now();
        long infoPeriod = s.timings.infoPeriod;
        if (ri.kind == Kind.REPLICA && (ri.master.is(Flag.O_DOWN) || ri.master.is(Flag.FAILOVER_IN_PROGRESS)
                || ri.masterLinkDownTime != 0)) {
            infoPeriod = 1000;
        }
        long pingPeriod = Math.min(ri.downAfterPeriod, s.timings.pingPeriod);
        if (ri.kind != Kind.SENTINEL && (ri.infoRefreshed == 0 || now - ri.infoRefreshed > infoPeriod)) {
            requestInfo(ri);
        }
        if (now - link.lastPongReceived > pingPeriod && now - link.lastPingSent > pingPeriod / 2) {
            sendPing(ri);
        }
        if (now - ri.lastPublished > s.timings.publishPeriod) {
            s.hello.send(ri);
        }
    }

    /** Sends INFO; the reply refreshes what we know of the instance. */
    void requestInfo(Instance ri) {
        ri.link.send(reply -> {
            if (ri.released) {
                return;
            }
            if (reply instanceof RespValue.BulkString b) {
                s.infoRefresh.refresh(ri, b.text());
            } else if (reply instanceof RespValue.Verbatim v) {
                s.infoRefresh.refresh(ri, v.text());
            }
        }, ri.owner().command("INFO"));
    }

    /**
     * Sends PING. The active-ping time starts with the first unanswered PING and stays there until an
     * answer comes: down-detection measures from it.
     */
    boolean sendPing(Instance ri) {
        boolean sent = ri.link.send(reply -> pingReply(ri, reply), ri.owner().command("PING"));
        if (sent) {
            ri.link.lastPingSent = s.now();
            if (ri.link.activePingSince == 0) {
                ri.link.activePingSince = ri.link.lastPingSent;
            }
        }
        return sent;
    }

    private void pingReply(Instance ri, RespValue reply) {
        if (ri.released) {
            return;
        }
        InstanceLink link = ri.link;
        String text = reply instanceof RespValue.SimpleString ss ? ss.value()
                : reply instanceof RespValue.Error e ? e.message() : null;
        if (text != null) {
            if (text.startsWith("PONG") || text.startsWith("LOADING") || text.startsWith("MASTERDOWN")) {
                link.lastAvailable = s.now();
                link.activePingSince = 0;
                if (text.startsWith("PONG")) {
                    ri.flags.remove(Flag.MASTER_REBOOT);
                }
            } else if (text.startsWith("BUSY") && ri.is(Flag.S_DOWN) && !ri.is(Flag.SCRIPT_KILL_SENT)) {
                // down because of a busy script: ask it to stop
                link.send(r -> { }, ri.owner().command("SCRIPT"), "KILL");
                ri.flags.add(Flag.SCRIPT_KILL_SENT);
            }
        }
        link.lastPongReceived = s.now();
    }
}
