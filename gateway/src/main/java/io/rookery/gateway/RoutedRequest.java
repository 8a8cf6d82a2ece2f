package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.cluster.Redirect;
import java.util.concurrent.TimeUnit;

/**
 * One command sent to the primary of its slot, with the cluster's redirections absorbed: MOVED is
 * followed to the node it names (and the slot map refreshed), ASK is followed with ASKING before the
 * command, TRYAGAIN is retried after a pause. Each is bounded; past the bound the backend's error
 * reaches the client. A blocking request takes a dedicated link for itself and gives it back when
 * answered, so it never holds up the shared one.
 */
final class RoutedRequest implements Receiver {
    private static final byte[][] ASKING = BackendLink.args("ASKING");
    private static final int TRYAGAIN_ATTEMPTS = 40;
    private static final long TRYAGAIN_PAUSE_MILLIS = 25;

    private final LoopBackends backends;
    private final byte[][] args;
    private final int slot;
    private final int protocol;
    private final Receiver target;
    private final ClientSession session;
    private final boolean blocking;
    private boolean fromReplica;
    private int redirects;
    private int retries;
    private boolean asking;
    private String address;
    private BackendLink link;
    private long sentNanos;

    /**
     * @param slot     the slot of the keys, or -1 for a key-less command (any primary takes it)
     * @param session  the client a blocking request belongs to (its link is closed if the client leaves)
     * @param blocking true for a command that may block: it takes a dedicated link
     */
    RoutedRequest(LoopBackends backends, byte[][] args, int slot, int protocol, Receiver target, ClientSession session,
                  boolean blocking) {
        this.backends = backends;
        this.args = args;
        this.slot = slot;
        this.protocol = protocol;
        this.target = target;
        this.session = session;
        this.blocking = blocking;
    }

    /** Sends to the slot's primary (a key-less command: to the first primary). */
    void start() {
        SlotMap map = backends.gateway().topology().current();
        String owner = slot >= 0 ? map.ownerOf(slot) : firstPrimary(map);
        go(owner);
    }

    /** Sends a read-only command to a replica of the slot's primary, or to the primary when it has none. */
    void startOnReplica() {
        String owner = backends.gateway().topology().current().ownerOf(slot);
        BackendLink replica = owner == null ? null : backends.replica(owner, protocol);
        if (replica == null) {
            go(owner);
            return;
        }
        fromReplica = true;
        address = replica.address;
        link = replica;
        sentNanos = backends.stats().now();
        send(replica, TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis()));
    }

    /** Sends to {@code address} as it is (a fan-out over every primary). */
    void startAt(String address) {
        go(address);
    }

    static String firstPrimary(SlotMap map) {
        for (String o : map.owners()) {
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    private void go(String to) {
        address = to;
        if (to == null) {
            target.failed(backends.gateway().topology().current().version() == 0
                    ? "CLUSTERDOWN The cluster is down" : "CLUSTERDOWN Hash slot not served");
            return;
        }
        String down = backends.unreachable(to);
        if (down != null) {
            target.failed(down);
            return;
        }
        backends.invalidations().sending(session, to);
        long timeout = TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis());
        if (blocking) {
            link = backends.dedicated(to, protocol);
            if (link == null) {
                target.failed("ERR gateway: max number of dedicated backend connections reached");
                return;
            }
            session.blocking(link);
        } else {
            link = backends.shared(to, protocol);
        }
        if (asking) {
            link.send(ASKING, Receiver.DISCARD, timeout);
        }
        sentNanos = backends.stats().now();
        send(link, blocking ? 0 : timeout);
    }

    /** Sends the request: the client's own bytes when they are at hand (its first attempt), else encoded. */
    private void send(BackendLink to, long timeoutNanos) {
        if (session == null || !session.sendAsEncoded(args, to, this, timeoutNanos)) {
            to.send(args, this, timeoutNanos);
        }
    }

    @Override
    public void reply(ByteBuf buf, int from, int to) {
        boolean error = buf.getByte(from) == '-';
        link.timing.record(backends.stats().now() - sentNanos, error);
        if (blocking) {
            session.unblocked(link);
            backends.release(link);
        }
        if (error && redirected(ReplyFramer.line(buf, from))) {
            return;
        }
        target.reply(buf, from, to);
    }

    /** Follows a redirection; false when {@code error} is none or the bound is reached. */
    private boolean redirected(String error) {
        GatewayStats stats = backends.gateway().stats();
        if (error.startsWith("MOVED ") || error.startsWith("ASK ")) {
            Redirect r = Redirect.parse(error);
            if (r == null || ++redirects > backends.gateway().config().maxRedirects()) {
                return false;
            }
            if (r.kind() == Redirect.Kind.MOVED) {
                stats.redirected(GatewayStats.Redirection.MOVED);
                backends.gateway().topology().moved();
                asking = false;
            } else {
                stats.redirected(GatewayStats.Redirection.ASK);
                asking = true;
            }
            go(r.host() + ":" + r.port());
            return true;
        }
        if (error.startsWith("CLUSTERDOWN")) {
            backends.gateway().topology().refresh("CLUSTERDOWN from " + address); // the cluster's state changed
            return false;
        }
        if (error.startsWith("TRYAGAIN") && ++retries <= TRYAGAIN_ATTEMPTS) {
            stats.redirected(GatewayStats.Redirection.TRYAGAIN);
            String again = address;
            backends.loop().schedule(() -> go(again), TRYAGAIN_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        }
        return false;
    }

    @Override
    public void failed(String error) {
        if (fromReplica) {
            // the replica went away: the primary answers instead (a read is safe to send again)
            fromReplica = false;
            start();
            return;
        }
        if (address != null) {
            backends.stats().backend(address).record(backends.stats().now() - sentNanos, true);
        }
        if (blocking && link != null) {
            session.unblocked(link);
        }
        target.failed(error);
    }
}
