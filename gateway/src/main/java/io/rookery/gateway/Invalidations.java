package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Client-side caching (CLIENT TRACKING) for the clients of one event loop, which only that loop
 * touches. The backends cannot track gateway clients themselves: reads travel on links every client of
 * the loop shares. So the gateway does what a Redis server does, with the backends' help:
 *
 * <ul>
 *   <li>While a client of the loop tracks, the loop holds one <b>listener</b> per primary: a RESP3
 *   connection with {@code CLIENT TRACKING ON BCAST} and no prefix, on which the primary pushes the
 *   name of every key that changes there, whoever changed it (a client of the gateway, one connected
 *   straight to the node, expiry, eviction, a slot migration), and a null on a flush.</li>
 *   <li>The gateway keeps Redis's <b>table</b>: key → the clients that read it (default mode; OPTIN and
 *   OPTOUT with CLIENT CACHING decide per command), remembered when the read is routed and again when
 *   its reply arrives. A pushed key invalidates its clients once and is forgotten, as in Redis; BCAST
 *   clients get every pushed key under their prefixes. Messages take Redis's forms and routes
 *   ({@link InvalidationFrames}): a push on the client's own RESP3 connection, queued behind the replies
 *   it still awaits (so an invalidation never overtakes the reply of a read it concerns), or through
 *   REDIRECT to another gateway client.</li>
 * </ul>
 *
 * <p>Where the listener cannot vouch for a node, the gateway invalidates everything ("null", as a
 * flush does) rather than let a client keep a value it cannot vouch for: a client whose command went to
 * a node before that node's listener was ready gets a null once it is; every client that tracked before
 * a listener was opened gets one when it is ready (a new primary after a failover or a slot move); and
 * every client gets one when a ready listener's connection is lost. CLIENT TRACKING ON answers once the
 * listeners to the current primaries are ready, so a client that waits for that answer reads covered.
 */
final class Invalidations {
    /** The most keys the table remembers (Redis's tracking-table-max-keys default); the oldest go first, invalidated. */
    static final int MAX_KEYS = 1_000_000;
    /** How long listeners stay open after the loop's last tracking client stopped. */
    private static final long IDLE_CLOSE_MILLIS = 5_000;
    private static final byte[][] TRACKING_ON = BackendLink.args("CLIENT", "TRACKING", "ON", "BCAST");
    private static final byte[][] PING = BackendLink.args("PING");
    /** A ready listener is pinged this often: one that stops answering is closed (its clients flushed). */
    private static final long PING_EVERY_MILLIS = 1_000;
    /** A primary whose listener was lost is not dialed again by the sweep for this long. */
    private static final long RETRY_AFTER_MILLIS = 1_000;

    private final LoopBackends backends;
    private final LinkedHashMap<KeyBytes, Set<ClientSession>> table = new LinkedHashMap<>();
    private final Set<ClientSession> trackers = new LinkedHashSet<>();
    private final Map<String, Listener> listeners = new HashMap<>();
    /** CLIENT TRACKING ON replies waiting for listeners to get ready, and since when (millis, 0: none). */
    private final List<Fence> waiters = new ArrayList<>();
    private long waitersSince;
    private long seq;
    private long noTrackersSince;
    private long mapVersion = -1;
    private List<String> primaries = List.of();
    /** Primaries whose listener was lost, and when the sweep may open one again. */
    private final Map<String, Long> retryAt = new HashMap<>();

    Invalidations(LoopBackends backends) {
        this.backends = backends;
    }

    // ---------------------------------------------------------------- tracking on and off

    /**
     * {@code c} turned tracking on (options already set): listeners are opened to every primary, and
     * {@code whenReady} runs once each of them is ready or failed (at once when they are), or after the
     * request timeout.
     */
    void enable(ClientSession c, Runnable whenReady) {
        trackers.add(c);
        noTrackersSince = 0;
        ensureListeners(true);
        if (c.tracking.enabledSeq == 0) {
            c.tracking.enabledSeq = ++seq; // after the listeners it may rely on were opened
        }
        Fence fence = new Fence(whenReady);
        long timeout = TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis());
        for (Listener l : listeners.values()) {
            if (l.ready) {
                fence.pings++;
                l.link.request(PING, fence, timeout);
            }
        }
        if (waiters.isEmpty()) {
            waitersSince = System.currentTimeMillis();
        }
        waiters.add(fence);
        releaseWaiters(false);
    }

    /**
     * The answer to CLIENT TRACKING ON, given once every listener to a primary is ready and each one
     * that already was has answered a PING: the invalidations of writes made before the command have
     * then reached the gateway, so they cannot arrive after the client's next read as if it concerned it.
     */
    private static final class Fence implements Runnable, Receiver {
        final Runnable whenReady;
        int pings;
        boolean listenersReady;
        boolean done;

        Fence(Runnable whenReady) {
            this.whenReady = whenReady;
        }

        /** The listeners are ready (or the wait timed out). */
        @Override
        public void run() {
            listenersReady = true;
            finish(false);
        }

        void finish(boolean force) {
            if (!done && (force || listenersReady && pings <= 0)) {
                done = true;
                whenReady.run();
            }
        }

        @Override
        public void reply(ByteBuf buf, int from, int to) {
            pings--;
            finish(false);
        }

        @Override
        public void failed(String error) {
            pings--;
            finish(false);
        }
    }

    /** {@code c} turned tracking off, sent RESET or left: its keys are forgotten. */
    void disable(ClientSession c) {
        if (!trackers.remove(c)) {
            c.tracking.clear();
            return;
        }
        forgetKeys(c);
        for (Listener l : listeners.values()) {
            l.exposed.remove(c);
        }
        c.tracking.clear();
        c.tracking.enabledSeq = 0;
        if (trackers.isEmpty()) {
            noTrackersSince = System.currentTimeMillis();
        }
    }

    int trackers() {
        return trackers.size();
    }

    int keys() {
        return table.size();
    }

    // ---------------------------------------------------------------- what clients read

    /**
     * A command of {@code c} is about to be routed: returns the keys it reads that the table must
     * remember for it (already remembered now, and to be remembered again with the reply), or null.
     * Read-only commands count (as Redis's call() does), an EXEC counts the read-only commands it
     * queued, and a script its declared keys (the gateway cannot see which of them the script reads;
     * remembering more only costs an extra invalidation). A NOLOOP client's write drops its own keys,
     * as Redis forgets the key for every client when it skips the writer.
     */
    List<byte[]> beforeCommand(ClientSession c, CommandSpec spec, byte[][] args) {
        SessionTracking t = c.tracking;
        if (!t.enabled || t.bcast) {
            return null;
        }
        if (t.noloop && spec.has(CommandFlag.WRITE)) {
            for (int p : spec.keyPositions(args)) {
                forgetKey(c, new KeyBytes(args[p]));
            }
        }
        if (t.optin && !t.caching || t.optout && t.caching) {
            return null;
        }
        List<byte[]> keys = new ArrayList<>();
        String name = spec.name();
        if (name.equals("exec") && c.state.queued != null) {
            for (byte[][] q : c.state.queued) {
                CommandSpec s = backends.gateway().commands().lookup(q[0]);
                if (s != null && s.isContainer() && q.length > 1) {
                    s = s.subcommands().get(CommandRouter.text(q[1]).toLowerCase(java.util.Locale.ROOT));
                }
                if (s != null && reads(s)) {
                    addKeys(keys, s, q);
                }
            }
        } else if (reads(spec)) {
            addKeys(keys, spec, args);
        }
        if (keys.isEmpty()) {
            return null;
        }
        remember(c, keys);
        return keys;
    }

    /** After a command: CLIENT CACHING covers the next command (or transaction) only. */
    void afterCommand(ClientSession c, CommandSpec spec) {
        if (c.tracking.caching && !spec.name().startsWith("client|") && !c.state.inTransaction()) {
            c.tracking.caching = false;
        }
    }

    private static boolean reads(CommandSpec spec) {
        if (spec.has(CommandFlag.READONLY) && !spec.has(CommandFlag.PUBSUB)) {
            return true;
        }
        return switch (spec.name()) {
            case "eval", "evalsha", "fcall" -> true;
            default -> false;
        };
    }

    private static void addKeys(List<byte[]> keys, CommandSpec spec, byte[][] args) {
        for (int p : spec.keyPositions(args)) {
            keys.add(args[p]);
        }
    }

    /** Remembers that {@code c} may cache {@code keys} (a read routed, or its reply arrived). */
    void remember(ClientSession c, List<byte[]> keys) {
        SessionTracking t = c.tracking;
        if (!t.enabled || t.bcast || !trackers.contains(c)) {
            return;
        }
        for (byte[] k : keys) {
            KeyBytes key = new KeyBytes(k);
            table.computeIfAbsent(key, x -> new LinkedHashSet<>(2)).add(c);
            t.keys.add(key);
        }
        while (table.size() > MAX_KEYS) {
            Iterator<Map.Entry<KeyBytes, Set<ClientSession>>> oldest = table.entrySet().iterator();
            Map.Entry<KeyBytes, Set<ClientSession>> e = oldest.next();
            oldest.remove();
            for (ClientSession s : e.getValue()) {
                s.tracking.keys.remove(e.getKey());
                deliver(s, List.of(e.getKey().bytes()));
            }
        }
    }

    /**
     * A command of {@code c} is being sent to {@code address}: when no listener there is ready yet, the
     * client is told to drop everything once one is (a write right after its read would go unheard).
     */
    void sending(ClientSession c, String address) {
        if (c == null || !c.tracking.enabled || address == null) {
            return;
        }
        Listener l = listeners.get(address);
        if (l == null) {
            l = open(address);
        }
        if (!l.ready) {
            l.exposed.add(c);
        }
    }

    private void forgetKeys(ClientSession c) {
        for (KeyBytes k : c.tracking.keys) {
            Set<ClientSession> readers = table.get(k);
            if (readers != null) {
                readers.remove(c);
                if (readers.isEmpty()) {
                    table.remove(k);
                }
            }
        }
        c.tracking.keys.clear();
    }

    private void forgetKey(ClientSession c, KeyBytes k) {
        if (c.tracking.keys.remove(k)) {
            Set<ClientSession> readers = table.get(k);
            if (readers != null) {
                readers.remove(c);
                if (readers.isEmpty()) {
                    table.remove(k);
                }
            }
        }
    }

    // ---------------------------------------------------------------- invalidation

    /** What a listener heard: each key's readers and the BCAST clients under its prefixes are told. */
    private void invalidated(InvalidationFrames.Invalidation inv) {
        if (inv.all()) {
            for (ClientSession c : new ArrayList<>(trackers)) {
                deliver(c, null);
                c.tracking.keys.clear();
            }
            table.clear();
            return;
        }
        for (byte[] k : inv.keys()) {
            KeyBytes key = new KeyBytes(k);
            Set<ClientSession> readers = table.remove(key);
            if (readers == null) {
                continue;
            }
            for (ClientSession c : readers) {
                c.tracking.keys.remove(key);
                deliver(c, List.of(k));
            }
        }
        for (ClientSession c : new ArrayList<>(trackers)) {
            if (!c.tracking.bcast) {
                continue;
            }
            for (byte[] prefix : c.tracking.prefixes) {
                List<byte[]> matching = new ArrayList<>();
                for (byte[] k : inv.keys()) {
                    if (new KeyBytes(k).startsWith(prefix)) {
                        matching.add(k);
                    }
                }
                if (!matching.isEmpty()) {
                    deliver(c, matching);
                }
            }
        }
    }

    /** Tells {@code c} to drop every key it cached (a null invalidation) and forgets its keys. */
    private void flush(ClientSession c) {
        if (trackers.contains(c)) {
            deliver(c, null);
            forgetKeys(c);
        }
    }

    /**
     * Sends one invalidation of {@code keys} (null: all) for {@code tracker} where Redis would: its own
     * connection under RESP3 (nothing under RESP2), or its redirect client, as a push under RESP3 or a
     * {@code __redis__:invalidate} message when that client is subscribed under RESP2. A redirect to a
     * client that is gone marks the redirect broken and, under RESP3, pushes {@code tracking-redir-broken}.
     */
    private void deliver(ClientSession tracker, List<byte[]> keys) {
        SessionTracking t = tracker.tracking;
        long redirect = t.redirect;
        if (redirect == 0) {
            if (tracker.protocol > 2) {
                send(tracker, InvalidationFrames.invalidate(3, keys));
            }
            return;
        }
        ClientSession target = backends.gateway().clients().byId(redirect);
        if (target == null) {
            t.brokenRedirect = true;
            if (tracker.protocol > 2) {
                send(tracker, InvalidationFrames.redirectBroken(redirect));
            }
            return;
        }
        target.onLoop(() -> {
            if (target.protocol > 2) {
                send(target, InvalidationFrames.invalidate(3, keys));
            } else if (target.state.subscribed()) {
                send(target, InvalidationFrames.invalidate(2, keys));
            }
        });
    }

    private static void send(ClientSession to, byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        to.outOfBand(buf, 0, frame.length);
    }

    // ---------------------------------------------------------------- listeners

    /** One BCAST tracking connection to a primary, and who relied on it before it was ready. */
    private final class Listener {
        final String address;
        final long createdSeq = ++seq;
        final BackendLink link;
        final Set<ClientSession> exposed = new HashSet<>();
        boolean ready;
        boolean lost;
        long lastPingMillis = System.currentTimeMillis();
        /** Closed on purpose (no longer a primary, or nobody tracks): its loss invalidates nothing. */
        boolean retired;

        Listener(String address) {
            this.address = address;
            this.link = new BackendLink(backends, address, 3, false);
            link.onClose(() -> lost(this));
            backends.connect(link);
            link.send(TRACKING_ON, new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    if (buf.getByte(from) == '-') {
                        link.close("ERR gateway: backend " + address + " refused CLIENT TRACKING: "
                                + ReplyFramer.line(buf, from));
                    } else {
                        ready(Listener.this);
                    }
                }

                @Override
                public void failed(String error) {
                }
            }, TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis()));
            link.passthrough(new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    try {
                        InvalidationFrames.Invalidation inv = InvalidationFrames.read(buf, from);
                        if (inv != null && listeners.get(address) == Listener.this) {
                            invalidated(inv);
                        }
                    } catch (ProtocolException e) {
                        link.close("ERR gateway: backend " + address + " sent a malformed invalidation");
                    }
                }

                @Override
                public void failed(String error) {
                }
            });
        }
    }

    private Listener open(String address) {
        Listener l = new Listener(address);
        if (!l.lost) {
            listeners.put(address, l);
        }
        return l;
    }

    private void ready(Listener l) {
        if (l.lost || listeners.get(l.address) != l) {
            return;
        }
        l.ready = true;
        Set<ClientSession> told = new HashSet<>(l.exposed);
        for (ClientSession c : trackers) {
            if (c.tracking.enabledSeq < l.createdSeq) {
                told.add(c); // it may hold keys whose writes now happen on this node
            }
        }
        l.exposed.clear();
        for (ClientSession c : told) {
            flush(c);
        }
        releaseWaiters(false);
    }

    private void lost(Listener l) {
        l.lost = true;
        if (listeners.get(l.address) == l) {
            listeners.remove(l.address);
        }
        if (!l.retired) {
            retryAt.put(l.address, System.currentTimeMillis() + RETRY_AFTER_MILLIS);
            if (l.ready) {
                for (ClientSession c : new ArrayList<>(trackers)) {
                    flush(c);
                }
            } else {
                for (ClientSession c : l.exposed) {
                    flush(c);
                }
            }
        }
        l.exposed.clear();
        releaseWaiters(false);
    }

    /** Opens a listener to every primary of the slot map that has none; retires those to former primaries. */
    private void ensureListeners(boolean force) {
        SlotMap map = backends.gateway().topology().current();
        if (map.version() != mapVersion || force) {
            mapVersion = map.version();
            primaries = map.primaries();
            for (Listener l : new ArrayList<>(listeners.values())) {
                if (!primaries.contains(l.address)) {
                    retire(l);
                }
            }
        }
        long now = System.currentTimeMillis();
        for (String p : primaries) {
            if (listeners.containsKey(p) || backends.unreachable(p) != null) {
                continue;
            }
            Long at = retryAt.get(p);
            if (at == null || now >= at || force) {
                retryAt.remove(p);
                open(p);
            }
        }
    }

    private int pendingListeners() {
        int n = 0;
        for (String p : primaries) {
            Listener l = listeners.get(p);
            if (l != null && !l.ready) {
                n++;
            }
        }
        return n;
    }

    private void releaseWaiters(boolean timedOut) {
        if (waiters.isEmpty() || !timedOut && pendingListeners() > 0) {
            return;
        }
        List<Fence> go = new ArrayList<>(waiters);
        waiters.clear();
        waitersSince = 0;
        for (Fence f : go) {
            f.run();
            if (timedOut) {
                f.finish(true);
            }
        }
    }

    private void retire(Listener l) {
        l.retired = true;
        listeners.remove(l.address, l);
        l.link.close("ERR gateway: tracking listener retired");
    }

    /** The loop's periodic duty: listeners for new primaries, handshakes that took too long, idle listeners. */
    void sweep() {
        long now = System.currentTimeMillis();
        if (trackers.isEmpty()) {
            if (!listeners.isEmpty() && noTrackersSince != 0 && now - noTrackersSince > IDLE_CLOSE_MILLIS) {
                for (Listener l : new ArrayList<>(listeners.values())) {
                    retire(l);
                }
                mapVersion = -1;
            }
            return;
        }
        ensureListeners(false);
        long nanos = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(backends.gateway().config().requestTimeoutMillis());
        for (Listener l : new ArrayList<>(listeners.values())) {
            if (l.link.overdue(nanos)) {
                l.link.close("ERR gateway: backend " + l.address + " did not answer its tracking connection in time");
            } else if (l.ready && now - l.lastPingMillis >= PING_EVERY_MILLIS) {
                l.lastPingMillis = now;
                l.link.request(PING, Receiver.DISCARD, timeout);
            }
        }
        if (!waiters.isEmpty() && now - waitersSince > backends.gateway().config().requestTimeoutMillis()) {
            releaseWaiters(true);
        }
    }

    void close() {
        for (Listener l : new ArrayList<>(listeners.values())) {
            retire(l);
        }
    }
}
