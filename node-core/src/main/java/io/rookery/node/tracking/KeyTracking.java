package io.rookery.node.tracking;

import io.rookery.node.client.Client;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.dispatch.CallObserver;
import io.rookery.node.dispatch.Propagation;
import io.rookery.node.dispatch.Propagator;
import io.rookery.node.dispatch.WriteObserver;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.tracking.TrackingArgs;
import io.rookery.protocol.tracking.TrackingCompatibility;
import io.rookery.protocol.tracking.TrackingSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Client-side caching (Redis's tracking.c): which connections may hold which keys, and the
 * invalidation messages that tell them a key changed. Command-thread only.
 *
 * <p>Two modes, as CLIENT TRACKING sets them per connection ({@link TrackingSettings}):
 * <ul>
 *   <li><b>Default</b>: every key a read-only command served to a tracking client is remembered
 *   (key → client ids; OPTIN/OPTOUT with CLIENT CACHING decide per command). When the key is
 *   modified, expires, is evicted or drops out of a full table ({@code tracking-table-max-keys}),
 *   each remembered client gets one invalidation and the key is forgotten.</li>
 *   <li><b>BCAST</b>: nothing is remembered per key; each modified key under a prefix the client
 *   registered is collected, and once the current batch of work ends (Redis's beforeSleep) each
 *   prefix sends its keys, as one message, to every client registered for it.</li>
 * </ul>
 *
 * <p>Delivery: a RESP3 connection gets a push {@code >2 invalidate [keys]}; with REDIRECT the
 * message goes to the other connection instead, as that push when it speaks RESP3 or, under RESP2,
 * as a {@code message} on {@code __redis__:invalidate} when it is subscribed. A RESP2 connection
 * without a redirect gets nothing. A redirect to a client that is gone marks the connection
 * "broken redirect" and, under RESP3, pushes {@code tracking-redir-broken id}. FLUSHDB/FLUSHALL
 * send one invalidation with a null in place of the keys to every tracking client. NOLOOP skips
 * keys the connection changed itself. An invalidation aimed at the connection whose command is
 * running is held until that command's reply is written, so it never interleaves with a reply.
 *
 * <p>Where changes come from: the writes of every command run through the gate ({@link WriteObserver}),
 * expiry, eviction and flushes (told by the node), and the commands of blocked clients served after
 * another client's write (BLMOVE, BLPOP...), which run outside the gate: those are read from the
 * propagation unit that follows the serving ({@link #expectServedWrites}).
 */
public final class KeyTracking implements CallObserver, WriteObserver, Propagator {
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    /** In the pending list: "every key" (a flush), not one key. */
    private static final BinaryKey ALL_KEYS = new BinaryKey(new byte[0]);

    /**
     * One command running: its client and request (the script's caller's request for redis.call).
     * Frames are reused by depth, so following every command costs no allocation.
     */
    private static final class Frame {
        Client client;
        CommandSpec spec;
        byte[][] args;

        Client client() {
            return client;
        }

        CommandSpec spec() {
            return spec;
        }

        byte[][] args() {
            return args;
        }
    }

    /** A BCAST prefix: the keys modified under it since the last broadcast (with who modified them) and its clients. */
    private static final class Prefix {
        TreeMap<BinaryKey, Client> keys = new TreeMap<>();
        final Set<Client> clients = new LinkedHashSet<>();
    }

    private final ClientRegistry clients;
    private final Executor afterBatch;
    private final LongSupplier maxKeys;
    private final Function<byte[], CommandSpec> commands;
    /** Key → ids of the clients that may cache it; insertion order, so a full table drops its oldest keys first. */
    private final Map<BinaryKey, Set<Long>> table = new LinkedHashMap<>();
    private final TreeMap<BinaryKey, Prefix> prefixes = new TreeMap<>();
    /** The commands running, outermost first: frames[0 .. depth). */
    private final List<Frame> frames = new ArrayList<>();
    private int depth;
    private final List<BinaryKey> pending = new ArrayList<>();
    private long totalItems;
    private int trackingClients;
    private boolean broadcastScheduled;
    private boolean servedWritesPending;
    /** Clients given an invalidation that is not sent yet; {@link #sendPending} sends it ahead of any reply. */
    private final Set<Client> unsent = new LinkedHashSet<>();

    /**
     * @param afterBatch runs the BCAST broadcast once the current batch of work is done (the command
     *                   thread's executor)
     * @param maxKeys    {@code tracking-table-max-keys}, 0 for no limit
     * @param commands   the command table's lookup by name, for the keys of propagated commands
     */
    public KeyTracking(ClientRegistry clients, Executor afterBatch, LongSupplier maxKeys,
                       Function<byte[], CommandSpec> commands) {
        this.clients = clients;
        this.afterBatch = afterBatch;
        this.maxKeys = maxKeys;
        this.commands = commands;
    }

    // ---------------------------------------------------------------- CLIENT TRACKING on|off

    /**
     * Turns tracking on (again) for {@code c} with options {@link TrackingCompatibility} accepted, and
     * registers its BCAST prefixes (those given earlier stay registered).
     */
    public void enable(Client c, TrackingArgs on) {
        TrackingSettings t = c.tracking;
        if (!t.enabled) {
            trackingClients++;
        }
        t.turnOn(on);
        if (t.bcast) {
            for (byte[] p : t.prefixes) {
                prefixes.computeIfAbsent(new BinaryKey(p), k -> new Prefix()).clients.add(c);
            }
        }
    }

    /** Turns tracking off: BCAST registrations go; remembered keys stay until they are invalidated. */
    public void disable(Client c) {
        TrackingSettings t = c.tracking;
        if (t.bcast) {
            for (byte[] bytes : t.prefixes) {
                BinaryKey p = new BinaryKey(bytes);
                Prefix state = prefixes.get(p);
                if (state != null) {
                    state.clients.remove(c);
                    if (state.clients.isEmpty()) {
                        prefixes.remove(p);
                    }
                }
            }
        }
        if (t.enabled) {
            trackingClients--;
        }
        t.clear();
    }

    // ---------------------------------------------------------------- remembering what clients read

    @Override
    public void beforeCall(Client client, CommandSpec spec, byte[][] args) {
        if (depth == 0) {
            servedWritesPending = false;
        }
        if (depth == frames.size()) {
            frames.add(new Frame());
        }
        Frame f = frames.get(depth++);
        f.client = client;
        f.spec = spec;
        f.args = args;
    }

    /**
     * After a read-only command, remembers its keys for the client that asked: for a redis.call of a
     * script, the client that ran the script, with the keys the script declared (EVAL_RO, EVALSHA_RO
     * and FCALL_RO themselves remember nothing, like EVAL). After a top-level command, sends the
     * invalidations held for its client and keeps the table within its limit.
     */
    @Override
    public void afterCall(Client client, CommandSpec spec, byte[][] args) {
        Frame done = frames.get(--depth);
        if (spec.has(CommandFlag.READONLY) && !spec.has(CommandFlag.PUBSUB) && !runsScriptReadOnly(spec)) {
            Frame caller = done.client().id() >= 0 ? done : callerBelow();
            if (caller != null) {
                remember(caller);
            }
        }
        if (depth == 0) {
            topLevelDone(done);
        }
        done.client = null; // nothing of the finished request stays reachable from here
        done.spec = null;
        done.args = null;
    }

    private static boolean runsScriptReadOnly(CommandSpec spec) {
        String n = spec.name();
        return n.equals("eval_ro") || n.equals("evalsha_ro") || n.equals("fcall_ro");
    }

    /** The innermost running command of a real connection (the script's caller). */
    private Frame callerBelow() {
        for (int i = depth - 1; i >= 0; i--) {
            Frame f = frames.get(i);
            if (f.client().id() >= 0) {
                return f;
            }
        }
        return null;
    }

    private void remember(Frame f) {
        TrackingSettings t = f.client().tracking;
        if (!t.enabled || t.bcast || t.optin && !t.caching || t.optout && t.caching) {
            return;
        }
        Long id = f.client().id();
        for (int p : f.spec().keyPositions(f.args())) {
            if (table.computeIfAbsent(new BinaryKey(f.args()[p]), k -> new LinkedHashSet<>()).add(id)) {
                totalItems++;
            }
        }
    }

    private void topLevelDone(Frame done) {
        Client c = done.client();
        if (!c.inMulti && !done.spec().name().startsWith("client|")) {
            c.tracking.caching = false; // CLIENT CACHING covers the next command (or transaction) only
        }
        if (!pending.isEmpty()) {
            List<BinaryKey> held = new ArrayList<>(pending);
            pending.clear();
            if (!c.closing) {
                for (BinaryKey k : held) {
                    deliver(c, k == ALL_KEYS ? null : k);
                }
            }
        }
        enforceLimit();
    }

    // ---------------------------------------------------------------- invalidation

    /** A command changed data: each of its keys is invalidated (and collected for BCAST). */
    @Override
    public void written(Client client, CommandSpec spec, byte[][] args, int db) {
        if (table.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        for (int p : spec.keyPositions(args)) {
            invalidate(client, args[p], true);
        }
    }

    /**
     * {@code key} changed (or expired, or was evicted: then {@code writer} is null). Every client that
     * may cache it is told, and the key is forgotten; with {@code broadcast}, it is also collected
     * for the BCAST prefixes it falls under.
     */
    public void invalidate(Client writer, byte[] key, boolean broadcast) {
        if (table.isEmpty() && prefixes.isEmpty()) {
            return; // nobody tracks anything: expiry and eviction cost nothing here
        }
        BinaryKey k = new BinaryKey(key);
        if (broadcast && !prefixes.isEmpty()) {
            collectForBroadcast(writer, k);
        }
        Set<Long> ids = table.remove(k);
        if (ids == null) {
            return;
        }
        totalItems -= ids.size();
        Client current = depth == 0 ? null : frames.get(0).client();
        for (long id : ids) {
            Client target = clients.get(id);
            if (target == null || !target.tracking.enabled || target.tracking.bcast) {
                continue;
            }
            if (target.tracking.noloop && target == current) {
                continue;
            }
            if (target == current) {
                pending.add(k); // after the running command's reply
            } else {
                deliver(target, k);
            }
        }
    }

    /** FLUSHDB/FLUSHALL (or a full resync): every tracking client is told "all keys", and the table empties. */
    public void invalidateAll() {
        if (trackingClients > 0) {
            Client current = depth == 0 ? null : frames.get(0).client();
            for (Client c : clients.all()) {
                if (!c.tracking.enabled) {
                    continue;
                }
                if (c == current) {
                    pending.add(ALL_KEYS);
                } else {
                    deliver(c, null);
                }
            }
        }
        table.clear();
        totalItems = 0;
    }

    /**
     * Keeps the table within {@code tracking-table-max-keys}: the oldest keys are dropped, each with
     * an invalidation to its clients (they would otherwise never hear of a later change).
     */
    public void enforceLimit() {
        long max = maxKeys.getAsLong();
        if (max <= 0) {
            return;
        }
        while (table.size() > max) {
            invalidate(null, table.keySet().iterator().next().bytes(), false);
        }
    }

    private void collectForBroadcast(Client writer, BinaryKey key) {
        byte[] k = key.bytes();
        for (Map.Entry<BinaryKey, Prefix> e : prefixes.entrySet()) {
            byte[] p = e.getKey().bytes();
            if (p.length <= k.length && Arrays.equals(p, 0, p.length, k, 0, p.length)) {
                e.getValue().keys.put(key, writer);
                if (!broadcastScheduled) {
                    broadcastScheduled = true;
                    afterBatch.execute(this::broadcast);
                }
            }
        }
    }

    /**
     * Sends the invalidations made so far, BCAST's collected keys included, before any reply leaves.
     * Redis broadcasts in beforeSleep, ahead of the replies; a default-mode invalidation it writes
     * after the write's reply, which we do not copy. A client that has the reply to its write must
     * not see a later read's reply overtake that write's invalidation on another connection: a cache
     * in front of the node (the gateway's BCAST listener) would then keep a stale value. The queued
     * broadcast and flushes stay as the fallback for changes without a reply (expiry, eviction).
     */
    public void sendPending() {
        if (broadcastScheduled) {
            broadcast();
        }
        if (unsent.isEmpty()) {
            return;
        }
        List<Client> send = new ArrayList<>(unsent);
        unsent.clear(); // before flushing: a flush asks for pending invalidations again
        for (Client c : send) {
            if (!c.closing) {
                c.connection().flush();
            }
        }
    }

    /** Sends each prefix's collected keys to its clients (without a NOLOOP client's own keys), then starts over. */
    public void broadcast() {
        broadcastScheduled = false;
        for (Prefix state : prefixes.values()) {
            if (state.keys.isEmpty()) {
                continue;
            }
            TreeMap<BinaryKey, Client> keys = state.keys;
            state.keys = new TreeMap<>();
            for (Client c : new ArrayList<>(state.clients)) {
                List<BinaryKey> send = new ArrayList<>(keys.size());
                for (Map.Entry<BinaryKey, Client> e : keys.entrySet()) {
                    if (!c.tracking.noloop || e.getValue() != c) {
                        send.add(e.getKey());
                    }
                }
                if (!send.isEmpty()) {
                    deliverKeys(c, send);
                }
            }
        }
    }

    /** One invalidation for {@code key}, or for all keys when null (a RESP null in the tracker's own protocol). */
    private void deliver(Client tracker, BinaryKey key) {
        RespWriter w = open(tracker);
        if (w == null) {
            return;
        }
        if (key == null) {
            w.raw(tracker.protocol() > 2 ? NULL3 : NULL2);
        } else {
            w.array(1);
            w.bulk(key.bytes());
        }
    }

    private void deliverKeys(Client tracker, List<BinaryKey> keys) {
        RespWriter w = open(tracker);
        if (w == null) {
            return;
        }
        w.array(keys.size());
        for (BinaryKey k : keys) {
            w.bulk(k.bytes());
        }
    }

    /**
     * Writes the head of an invalidation for {@code tracker} to where it goes and returns the writer
     * for the keys part, or null when it cannot be delivered (RESP2 without a subscribed redirect,
     * or a broken redirect).
     */
    private RespWriter open(Client tracker) {
        TrackingSettings t = tracker.tracking;
        Client target = tracker;
        boolean redirected = false;
        if (t.redirect != 0) {
            Client redirect = clients.get(t.redirect);
            if (redirect == null || redirect.closing) {
                t.brokenRedirect = true;
                if (tracker.protocol() > 2) {
                    RespWriter w = tracker.push();
                    w.push(2);
                    w.bulk("tracking-redir-broken");
                    w.integer(t.redirect);
                    tracker.connection().flushSoon();
                    unsent.add(tracker);
                }
                return null;
            }
            target = redirect;
            redirected = true;
        }
        RespWriter w;
        if (target.protocol() > 2) {
            w = target.push();
            w.push(2);
            w.bulk("invalidate");
        } else if (redirected && target.hasSubscriptions()) {
            w = target.push();
            w.push(3);
            w.bulk("message");
            w.bulk(CHANNEL);
        } else {
            return null;
        }
        target.connection().flushSoon();
        unsent.add(target);
        return w;
    }

    // ---------------------------------------------------------------- blocked clients served

    /** Blocked clients were just served: the next propagation unit holds their writes. */
    public void expectServedWrites() {
        servedWritesPending = trackingClients > 0;
    }

    @Override
    public boolean wantsUnits() {
        return trackingClients > 0;
    }

    /** Invalidates the keys of the served clients' writes (other units were seen through the gate). */
    @Override
    public void propagate(List<Propagation.Op> unit) {
        if (!servedWritesPending) {
            return;
        }
        servedWritesPending = false;
        for (Propagation.Op op : unit) {
            CommandSpec spec = commands.apply(op.args()[0]);
            if (spec != null) {
                for (int p : spec.keyPositions(op.args())) {
                    invalidate(null, op.args()[p], true);
                }
            }
        }
    }

    /** Drops a disconnecting (or RESET) client's tracking. */
    public void forget(Client c) {
        disable(c);
        unsent.remove(c);
    }

    // ---------------------------------------------------------------- INFO

    public int trackingClients() {
        return trackingClients;
    }

    public long totalKeys() {
        return table.size();
    }

    public long totalItems() {
        return totalItems;
    }

    public long totalPrefixes() {
        return prefixes.size();
    }
}
