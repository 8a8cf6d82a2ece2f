package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import io.rookery.node.multi.Transactions;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/** Generic keyspace commands (Redis's db.c): existence, deletion, renaming, copying, iteration, databases. */
final class KeyCommands extends CommandGroup {

    private final Transactions transactions;
    private final Blocking blocking;

    KeyCommands(CommandBasics basics, Transactions transactions, Blocking blocking) {
        super(basics);
        this.transactions = transactions;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("del", this::del)
                .register("unlink", this::del)
                .register("exists", this::exists)
                .register("touch", this::touch)
                .register("type", this::type)
                .register("rename", (c, a) -> rename(c, a, false))
                .register("renamenx", (c, a) -> rename(c, a, true))
                .register("copy", this::copy)
                .register("move", this::move)
                .register("keys", this::keys)
                .register("scan", this::scan)
                .register("randomkey", this::randomkey)
                .register("dbsize", (c, a) -> c.reply().integer(db(c).size()))
                .register("select", this::select)
                .register("swapdb", this::swapdb)
                .register("flushdb", this::flushdb)
                .register("flushall", this::flushall);
    }

    private void del(Client c, byte[][] a) {
        boolean unlink = Args.is(a[0], "UNLINK");
        Database db = db(c);
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (unlink && db.exists(a[i])) {
                keyspace.unlinked(db.peek(a[i]));
            }
            if (db.exists(a[i]) && db.delete(a[i])) {
                n++;
                notify(c, GENERIC, "del", a[i]);
            }
        }
        dirty(n);
        c.reply().integer(n);
    }

    private void exists(Client c, byte[][] a) {
        Database db = db(c);
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (db.exists(a[i])) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void touch(Client c, byte[][] a) {
        Database db = db(c);
        long n = 0;
        for (int i = 1; i < a.length; i++) {
            if (db.get(a[i]) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    private void type(Client c, byte[][] a) {
        Object v = db(c).peek(a[1]);
        c.reply().simple(v == null ? "none" : ValueType.of(v).wireName());
    }

    private void rename(Client c, byte[][] a, boolean nx) {
        Database db = db(c);
        Object v = db.getForWrite(a[1]);
        if (v == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (java.util.Arrays.equals(a[1], a[2])) {
            if (nx) {
                c.reply().integer(0);
            } else {
                c.reply().ok();
            }
            return;
        }
        long expire = db.expireAt(a[1]);
        if (db.exists(a[2])) {
            if (nx) {
                c.reply().integer(0);
                return;
            }
            db.delete(a[2]);
        }
        db.delete(a[1]);
        db.add(a[2], v);
        if (expire >= 0) {
            db.expireAt(a[2], expire);
        }
        dirty(1);
        notify(c, GENERIC, "rename_from", a[1]);
        notify(c, GENERIC, "rename_to", a[2]);
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    // COPY source destination [DB destination-db] [REPLACE]
    private void copy(Client c, byte[][] a) {
        int target = c.db;
        boolean replace = false;
        for (int i = 3; i < a.length; i++) {
            if (Args.is(a[i], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[i], "DB") && i + 1 < a.length) {
                target = dbIndex(a[++i]);
                if (clusterMode() && target != c.db) {
                    throw new CommandError("ERR Copying to another database is not allowed in cluster mode");
                }
            } else {
                throw Errors.syntax();
            }
        }
        if (target == c.db && java.util.Arrays.equals(a[1], a[2])) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Database src = db(c);
        Database dst = keyspace.db(target);
        Object v = src.getForWrite(a[1]);
        if (v == null) {
            c.reply().integer(0);
            return;
        }
        if (dst.exists(a[2])) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.delete(a[2]);
        }
        Object copy = v instanceof byte[] ? v : ((TypedValue) v).copy();
        long expire = src.expireAt(a[1]);
        dst.add(a[2].clone(), copy);
        if (expire >= 0) {
            dst.expireAt(a[2], expire);
        }
        dirty(1);
        notifications.keyEvent(GENERIC, "copy_to", a[2], target);
        c.reply().integer(1);
    }

    private void move(Client c, byte[][] a) {
        if (clusterMode()) {
            throw new CommandError("ERR MOVE is not allowed in cluster mode");
        }
        int target = dbIndex(a[2]);
        if (target == c.db) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Database src = db(c);
        Database dst = keyspace.db(target);
        Object v = src.getForWrite(a[1]);
        if (v == null || dst.exists(a[1])) {
            c.reply().integer(0);
            return;
        }
        long expire = src.expireAt(a[1]);
        src.delete(a[1]);
        dst.add(a[1], v);
        if (expire >= 0) {
            dst.expireAt(a[1], expire);
        }
        dirty(1);
        notify(c, GENERIC, "move_from", a[1]);
        notifications.keyEvent(GENERIC, "move_to", a[1], target);
        c.reply().integer(1);
    }

    int dbIndex(byte[] arg) {
        long idx = Args.integer(arg);
        if (idx < 0 || idx >= keyspace.count()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        return (int) idx;
    }

    private void keys(Client c, byte[][] a) {
        Database db = db(c);
        byte[] pattern = a[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        db.forEach(e -> {
            if ((all || Glob.matches(pattern, e.key(), false)) && !db.isLogicallyExpired(e.key())) {
                out.add(e.key());
            }
        });
        RespWriter r = c.reply();
        r.array(out.size());
        for (byte[] k : out) {
            r.bulk(k);
        }
    }

    // SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
    private void scan(Client c, byte[][] a) {
        long cursor = parseCursor(a[1]);
        byte[] pattern = null;
        long count = 10;
        String type = null;
        for (int i = 2; i < a.length; i += 2) {
            if (i + 1 >= a.length) {
                throw Errors.syntax();
            }
            if (Args.is(a[i], "MATCH")) {
                pattern = a[i + 1];
            } else if (Args.is(a[i], "COUNT")) {
                count = Args.integer(a[i + 1]);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else if (Args.is(a[i], "TYPE")) {
                type = Args.text(a[i + 1]).toLowerCase(java.util.Locale.ROOT);
            } else {
                throw Errors.syntax();
            }
        }
        Database db = db(c);
        List<Dict.Entry> found = new ArrayList<>();
        long maxIterations = count * 10;
        do {
            cursor = db.scan(cursor, found::add);
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        List<byte[]> keys = new ArrayList<>(found.size());
        boolean all = pattern == null || pattern.length == 1 && pattern[0] == '*';
        for (Dict.Entry e : found) {
            if (!all && !Glob.matches(pattern, e.key(), false)) {
                continue;
            }
            if (type != null && !ValueType.of(e.value()).wireName().equals(type)) {
                continue;
            }
            if (db.isLogicallyExpired(e.key())) {
                db.exists(e.key()); // deletes it lazily, as Redis's scan does
                continue;
            }
            keys.add(e.key());
        }
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(cursor));
        r.array(keys.size());
        for (byte[] k : keys) {
            r.bulk(k);
        }
    }

    static long parseCursor(byte[] arg) {
        try {
            String s = Args.text(arg);
            if (s.isEmpty() || s.startsWith("+") || s.startsWith("-") && !s.equals("-0")) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new CommandError("ERR invalid cursor");
        }
    }

    private void randomkey(Client c, byte[][] a) {
        c.reply().bulk(db(c).randomKey());
    }

    private void select(Client c, byte[][] a) {
        long idx = Args.integer(a[1]);
        if (clusterMode() && idx != 0) {
            throw new CommandError("ERR SELECT is not allowed in cluster mode");
        }
        if (idx < 0 || idx >= keyspace.count()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        c.db = (int) idx;
        c.reply().ok();
    }

    private void swapdb(Client c, byte[][] a) {
        if (clusterMode()) {
            throw new CommandError("ERR SWAPDB is not allowed in cluster mode");
        }
        long x = Args.integer(a[1], "ERR invalid first DB index");
        long y = Args.integer(a[2], "ERR invalid second DB index");
        int n = keyspace.count();
        if (x < 0 || x >= n || y < 0 || y >= n) {
            throw new CommandError(Errors.DB_INDEX);
        }
        if (x != y) { // swapping a database with itself changes nothing, touches no WATCH
            transactions.swapping((int) x, (int) y);
            keyspace.swap((int) x, (int) y);
            blocking.signalAll((int) x); // clients blocked in either database may find their key now
            blocking.signalAll((int) y);
        }
        dirty(1);
        c.reply().ok();
    }

    private static void checkFlushMode(byte[][] a) {
        if (a.length > 2 || a.length == 2 && !Args.is(a[1], "SYNC") && !Args.is(a[1], "ASYNC")) {
            throw Errors.syntax();
        }
    }

    private void flushdb(Client c, byte[][] a) {
        checkFlushMode(a);
        transactions.flushing(c.db);
        long removed = db(c).flush();
        dirty(removed);
        propagateAs(c, a); // even when the database was empty, as Redis forces it
        c.reply().ok();
    }

    private void flushall(Client c, byte[][] a) {
        checkFlushMode(a);
        for (int i = 0; i < keyspace.count(); i++) {
            transactions.flushing(i);
        }
        long removed = keyspace.flushAll();
        dirty(removed + 1);
        c.reply().ok();
    }
}
