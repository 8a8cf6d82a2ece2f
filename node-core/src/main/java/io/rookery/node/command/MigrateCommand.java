package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.config.KeyspaceEventFlags;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.KeyHolds;
import io.rookery.node.migrate.MigrateConnections;
import io.rookery.node.migrate.MigrateExchange;
import io.rookery.node.rdb.DumpPayload;
import io.rookery.protocol.Numbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...], as Redis 7.0 runs it: the keys that exist are sent to the target as
 * {@code RESTORE key ttl payload [REPLACE]} (RESTORE-ASKING in cluster mode, as Redis sends, so a
 * target that is importing the slot accepts it; DUMP payloads, remaining TTL in ms) over a cached
 * connection, after AUTH and SELECT when needed, all within {@code timeout} ms per I/O step; each key
 * the target acknowledged is deleted here (not with COPY) and the command propagates as DEL of those
 * keys. Replies +OK, +NOKEY when none of the keys exists, "-IOERR error or timeout ..." on connection
 * trouble (after one retry on a fresh connection when a cached one was dead and nothing was processed),
 * or "-ERR Target instance replied with error: ..." with the target's first error.
 *
 * <p>Redis blocks the whole server for the transfer; here only the caller waits. The command thread
 * takes the keys, values and TTLs and holds the keys (see {@link KeyHolds}: every command naming them
 * waits, so nothing changes them in between), and the client waits, like a blocked client, while
 * MIGRATE's I/O thread serializes the values, sends the payloads and reads the target's replies. The command then runs again on the command thread ({@link Dispatcher#resume})
 * with that outcome: it deletes the acknowledged keys, propagates the DEL, replies and releases the
 * keys, and the commands that waited for them run. So the move stays atomic per key and the other
 * clients are served meanwhile. Inside MULTI/EXEC and scripts, which cannot wait, the command
 * thread waits for the exchange, as Redis's MIGRATE does.
 */
final class MigrateCommand extends CommandGroup {
    private final MigrateConnections connections;
    private final Executor commandThread;
    /** Transfers whose outcome arrived, by the client that waits for it, until the command runs again. */
    private final Map<Client, Transfer> arrived = new HashMap<>();

    MigrateCommand(CommandBasics basics, MigrateConnections connections, Executor commandThread) {
        super(basics);
        this.connections = connections;
        this.commandThread = commandThread;
    }

    void register(CommandRegistry r) {
        r.register("migrate", this::migrate);
    }

    /** What the arguments ask for. */
    private record Request(String host, String port, long db, int timeoutMillis, boolean copy, boolean replace,
                           byte[] username, byte[] password, List<byte[]> keys) {
    }

    /**
     * The keys sent (in the order of the RESTOREs) with the values and TTLs they had when MIGRATE
     * started, in database {@code db}, and the outcome once it arrived.
     */
    private static final class Transfer {
        final int db;
        final boolean copy;
        final List<byte[]> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();
        final List<Long> ttls = new ArrayList<>();
        MigrateExchange.Outcome outcome;
        boolean held;

        Transfer(int db, boolean copy) {
            this.db = db;
            this.copy = copy;
        }
    }

    private void migrate(Client c, byte[][] a) {
        Transfer done = arrived.remove(c);
        if (done != null) {
            finish(c, done);
            return;
        }
        Request req = parse(a);
        Database db = db(c);
        List<byte[]> keys = new ArrayList<>();
        for (byte[] key : req.keys()) {
            if (db.get(key) != null) {
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        Transfer t = new Transfer(c.db, req.copy());
        collect(db, keys, t);
        boolean compress = config.rdbcompression;
        byte[] restore = bytes(clusterMode() ? "RESTORE-ASKING" : "RESTORE");
        MigrateExchange exchange = new MigrateExchange(req.host(), req.port(), req.db(), req.timeoutMillis(),
                req.password() == null ? null : MigrateExchange.authCommand(req.username(), req.password()),
                () -> restores(restore, req.replace(), compress, t), t.keys.size());
        if (c.inExec || c.scriptClient || c.inMulti) {
            t.outcome = connections.exchange(exchange).join(); // no waiting inside a transaction or script
            finish(c, t);
            return;
        }
        dispatcher.holds().hold(t.db, t.keys);
        t.held = true;
        c.blocked = true;
        connections.exchange(exchange).whenComplete((outcome, failure) -> commandThread.execute(() -> arrive(c, a, t,
                outcome != null ? outcome : new MigrateExchange.Outcome("IOERR error or timeout writing to target instance",
                        new boolean[t.keys.size()]))));
    }

    /** On the command thread: the exchange ended; the command runs again to apply it, and the keys are let go. */
    private void arrive(Client c, byte[][] a, Transfer t, MigrateExchange.Outcome outcome) {
        t.outcome = outcome;
        arrived.put(c, t);
        try {
            dispatcher.resume(c, a);
        } finally {
            arrived.remove(c);
            release(t);
            dispatcher.unpark(c);
        }
    }

    private void release(Transfer t) {
        if (t.held) {
            t.held = false;
            dispatcher.holds().release(t.db, t.keys);
        }
    }

    /**
     * Applies an outcome: deletes each acknowledged key (not with COPY) that still holds the value that
     * was sent (it may have expired or been evicted meanwhile, nothing else), propagates DEL of those
     * and replies. The keys are let go here, so blocked clients served right after see them deleted.
     */
    private void finish(Client c, Transfer t) {
        Database db = keyspace.db(t.db);
        List<byte[]> deleted = new ArrayList<>();
        boolean[] acknowledged = t.outcome.acknowledged();
        for (int j = 0; j < t.keys.size(); j++) {
            byte[] key = t.keys.get(j);
            if (acknowledged[j] && !t.copy && db.get(key) == t.values.get(j)) {
                db.delete(key);
                notifications.keyEvent(KeyspaceEventFlags.GENERIC, "del", key, t.db);
                dirty(1);
                deleted.add(key);
            }
        }
        release(t);
        if (!deleted.isEmpty()) {
            byte[][] del = new byte[deleted.size() + 1][];
            del[0] = bytes("DEL");
            for (int k = 0; k < deleted.size(); k++) {
                del[k + 1] = deleted.get(k);
            }
            dispatcher.propagation().replace(t.db, del);
        }
        if (t.outcome.error() != null) {
            c.reply().error(t.outcome.error());
        } else {
            c.reply().ok();
        }
    }

    private Request parse(byte[][] a) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        List<byte[]> keys = List.of(a[3]);
        for (int j = 6; j < a.length; j++) {
            int more = a.length - 1 - j;
            if (Args.is(a[j], "COPY")) {
                copy = true;
            } else if (Args.is(a[j], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[j], "AUTH")) {
                if (more < 1) {
                    throw Errors.syntax();
                }
                password = a[++j];
            } else if (Args.is(a[j], "AUTH2")) {
                if (more < 2) {
                    throw Errors.syntax();
                }
                username = a[++j];
                password = a[++j];
            } else if (Args.is(a[j], "KEYS")) {
                if (a[3].length != 0) {
                    throw new CommandError("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                }
                keys = List.of(a).subList(j + 1, a.length);
                break;
            } else {
                throw Errors.syntax();
            }
        }
        long timeout = Args.integer(a[5]);
        long dbid = Args.integer(a[4]);
        if (timeout <= 0) {
            timeout = 1000;
        }
        return new Request(Args.text(a[1]), Args.text(a[2]), dbid, (int) Math.min(Integer.MAX_VALUE, timeout), copy,
                replace, username, password, keys);
    }

    /**
     * What is sent, taken on the command thread: each key that has not expired meanwhile, its value
     * and its remaining TTL in ms (0 for none).
     */
    private static void collect(Database db, List<byte[]> keys, Transfer t) {
        long now = System.currentTimeMillis();
        for (byte[] key : keys) {
            Object value = db.get(key);
            if (value == null) {
                continue;
            }
            long ttl = 0;
            long expireAt = db.expireAt(key);
            if (expireAt >= 0) {
                ttl = expireAt - now;
                if (ttl < 0) {
                    continue;
                }
                ttl = Math.max(1, ttl);
            }
            t.keys.add(key);
            t.values.add(value);
            t.ttls.add(ttl);
        }
    }

    /**
     * The RESTORE commands (RESTORE-ASKING in cluster mode: the target may only be importing the slot),
     * one per collected key, each value serialized here. Runs on MIGRATE's I/O thread, which may read
     * the values because they are held: no command can change them until the exchange ended, and
     * expiry or eviction only take them out of the keyspace (the value objects stay as they were).
     */
    private static List<byte[]> restores(byte[] restore, boolean replace, boolean compress, Transfer t) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < t.keys.size(); i++) {
            byte[] payload = DumpPayload.create(t.values.get(i), compress);
            byte[] ttl = Numbers.toBytes(t.ttls.get(i));
            if (replace) {
                MigrateExchange.restoreParts(parts, restore, t.keys.get(i), ttl, payload, bytes("REPLACE"));
            } else {
                MigrateExchange.restoreParts(parts, restore, t.keys.get(i), ttl, payload);
            }
        }
        return parts;
    }
}
