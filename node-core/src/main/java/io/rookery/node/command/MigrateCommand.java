package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.config.KeyspaceEventFlags;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.migrate.MigrateConnection;
import io.rookery.node.migrate.MigrateConnections;
import io.rookery.node.rdb.DumpPayload;
import io.rookery.protocol.Numbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...], as Redis 7.0 runs it: the keys that exist are sent to the target as
 * {@code RESTORE key ttl payload [REPLACE]} (RESTORE-ASKING in cluster mode, as Redis sends, so a
 * target that is importing the slot accepts it; DUMP payloads, remaining TTL in ms) over a cached blocking
 * connection, after AUTH and SELECT when needed, all within {@code timeout} ms per I/O step; each key
 * the target acknowledged is deleted here (not with COPY) and the command propagates as DEL of those
 * keys. Replies +OK, +NOKEY when none of the keys exists, "-IOERR error or timeout ..." on connection
 * trouble (after one retry on a fresh connection when a cached one was dead and nothing was processed),
 * or "-ERR Target instance replied with error: ..." with the target's first error.
 */
final class MigrateCommand extends CommandGroup {
    private final MigrateConnections connections;

    MigrateCommand(CommandBasics basics, MigrateConnections connections) {
        super(basics);
        this.connections = connections;
    }

    void register(CommandRegistry r) {
        r.register("migrate", this::migrate);
    }

    /** What the arguments ask for. */
    private record Request(String host, String port, long db, int timeoutMillis, boolean copy, boolean replace,
                           byte[] username, byte[] password, List<byte[]> keys) {
    }

    private void migrate(Client c, byte[][] a) {
        Request req = parse(a);
        Database db = db(c);
        List<byte[]> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (byte[] key : req.keys()) {
            Object v = db.get(key);
            if (v != null) {
                keys.add(key);
                values.add(v);
            }
        }
        if (keys.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        for (int attempt = 0; ; attempt++) {
            if (transfer(c, req, db, keys, values, attempt == 0)) {
                return;
            }
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
     * One attempt: connect (or reuse), send, read the replies, delete what the target acknowledged and
     * reply. Returns false when it should be tried once more on a fresh connection (a cached connection
     * found dead before anything was processed, not a timeout, and {@code mayRetry}).
     */
    private boolean transfer(Client c, Request req, Database db, List<byte[]> keys, List<Object> values, boolean mayRetry) {
        MigrateConnection conn;
        try {
            conn = connections.get(req.host(), req.port(), req.timeoutMillis(), System.currentTimeMillis() / 1000);
        } catch (IOException e) {
            throw new CommandError("IOERR error or timeout connecting to the client");
        }
        boolean select = conn.lastDb() != req.db();
        List<byte[]> sent = new ArrayList<>();
        byte[] stream = commands(req, select, db, keys, values, sent);
        boolean writing = true;
        String authReply = null;
        String selectReply = null;
        try {
            conn.write(stream, req.timeoutMillis());
            writing = false;
            if (req.password() != null) {
                authReply = conn.readLine(req.timeoutMillis());
            }
            if (select) {
                selectReply = conn.readLine(req.timeoutMillis());
            }
        } catch (IOException e) {
            connections.close(req.host(), req.port());
            if (mayRetry && !(e instanceof SocketTimeoutException)) {
                return false;
            }
            throw ioError(writing);
        }
        String targetError = null;
        IOException socketError = null;
        List<byte[]> deleted = new ArrayList<>();
        int j = 0;
        for (; j < sent.size(); j++) {
            String reply;
            try {
                reply = conn.readLine(req.timeoutMillis());
            } catch (IOException e) {
                socketError = e;
                break;
            }
            String error = authReply != null && authReply.startsWith("-") ? authReply
                    : selectReply != null && selectReply.startsWith("-") ? selectReply
                    : reply.startsWith("-") ? reply : null;
            if (error != null) {
                if (targetError == null) {
                    conn.lastDb(-1);
                    targetError = "ERR Target instance replied with error: " + error.substring(1);
                }
            } else if (!req.copy()) {
                byte[] key = sent.get(j);
                db.delete(key);
                notify(c, KeyspaceEventFlags.GENERIC, "del", key);
                dirty(1);
                deleted.add(key);
            }
        }
        if (targetError == null && socketError != null && j == 0 && mayRetry
                && !(socketError instanceof SocketTimeoutException)) {
            connections.close(req.host(), req.port());
            return false;
        }
        if (socketError != null) {
            connections.close(req.host(), req.port());
        }
        if (!deleted.isEmpty()) {
            byte[][] del = new byte[deleted.size() + 1][];
            del[0] = bytes("DEL");
            for (int k = 0; k < deleted.size(); k++) {
                del[k + 1] = deleted.get(k);
            }
            propagateAs(c, del);
        }
        if (targetError != null) {
            c.reply().error(targetError);
        } else if (socketError != null) {
            c.reply().error(ioError(false).getMessage());
        } else {
            conn.lastDb(req.db());
            c.reply().ok();
        }
        return true;
    }

    private static CommandError ioError(boolean writing) {
        return new CommandError("IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
    }

    /**
     * The bytes sent to the target: AUTH and SELECT when needed, then a RESTORE per key that has not
     * expired meanwhile (those are added to {@code sent}, in order).
     */
    private byte[] commands(Request req, boolean select, Database db, List<byte[]> keys, List<Object> values, List<byte[]> sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (req.password() != null) {
            if (req.username() != null) {
                write(out, bytes("AUTH"), req.username(), req.password());
            } else {
                write(out, bytes("AUTH"), req.password());
            }
        }
        if (select) {
            write(out, bytes("SELECT"), Numbers.toBytes(req.db()));
        }
        // in cluster mode the target may only be importing the slot: RESTORE-ASKING passes its gate
        byte[] restore = bytes(clusterMode() ? "RESTORE-ASKING" : "RESTORE");
        long now = System.currentTimeMillis();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            long ttl = 0;
            long expireAt = db.expireAt(key);
            if (expireAt >= 0) {
                ttl = expireAt - now;
                if (ttl < 0) {
                    continue;
                }
                ttl = Math.max(1, ttl);
            }
            sent.add(key);
            byte[] payload = DumpPayload.create(values.get(i), config.rdbcompression);
            if (req.replace()) {
                write(out, restore, key, Numbers.toBytes(ttl), payload, bytes("REPLACE"));
            } else {
                write(out, restore, key, Numbers.toBytes(ttl), payload);
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[]... args) {
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(arg);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
    }
}
