package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;
import static io.rookery.node.config.KeyspaceEventFlags.STRING;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** String commands (Redis's t_string.c): SET and friends, ranges, counters, LCS. */
final class StringCommands extends CommandGroup {

    StringCommands(CommandBasics basics) {
        super(basics);
    }

    void register(CommandRegistry r) {
        r.register("get", this::get)
                .register("set", this::set)
                .register("setnx", this::setnx)
                .register("setex", (c, a) -> setex(c, a, false))
                .register("psetex", (c, a) -> setex(c, a, true))
                .register("getex", this::getex)
                .register("getdel", this::getdel)
                .register("getset", this::getset)
                .register("mset", this::mset)
                .register("msetnx", this::msetnx)
                .register("mget", this::mget)
                .register("append", this::append)
                .register("strlen", this::strlen)
                .register("getrange", this::getrange)
                .register("substr", this::getrange)
                .register("setrange", this::setrange)
                .register("incr", (c, a) -> incrBy(c, a[1], 1))
                .register("decr", (c, a) -> incrBy(c, a[1], -1))
                .register("incrby", (c, a) -> incrBy(c, a[1], Args.integer(a[2])))
                .register("decrby", this::decrby)
                .register("incrbyfloat", this::incrbyfloat)
                .register("lcs", this::lcs);
    }

    private void get(Client c, byte[][] a) {
        c.reply().bulk(readString(db(c), a[1]));
    }

    // SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
    //     PXAT unix-time-milliseconds | KEEPTTL]
    // Replies OK, or nil when NX/XX stopped it; with GET, the old value (nil when there was none).
    private void set(Client c, byte[][] a) {
        if (a.length == 3) { // plain SET: no options, one lookup
            db(c).set(a[1], a[2]);
            dirty(1);
            notify(c, STRING, "set", a[1]);
            c.reply().ok();
            return;
        }
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        ExpiryOption exp = new ExpiryOption();
        for (int i = 3; i < a.length; ) {
            int took = exp.parse(a, i, true, false);
            if (took == 2) {
                exp.resolve(a[i + 1], keyspace.now(), "set");
                i += 2;
                continue;
            }
            if (took == 1) {
                i++;
                continue;
            }
            if (Args.is(a[i], "NX") && !xx) {
                nx = true;
            } else if (Args.is(a[i], "XX") && !nx) {
                xx = true;
            } else if (Args.is(a[i], "GET")) {
                get = true;
            } else {
                throw Errors.syntax();
            }
            i++;
        }
        Database db = db(c);
        byte[] key = a[1];
        byte[] old = null;
        boolean exists;
        if (get) {
            old = writeString(db, key);
            exists = old != null;
        } else {
            exists = (nx || xx) && db.exists(key);
        }
        if (nx && exists || xx && !exists) {
            if (get) {
                c.reply().bulk(old);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        store(c, db, key, a[2], exp);
        if (get) {
            c.reply().bulk(old);
        } else {
            c.reply().ok();
        }
    }

    /** Stores a string with the expiry option applied; a time already past deletes the key instead. */
    private void store(Client c, Database db, byte[] key, byte[] value, ExpiryOption exp) {
        dirty(1);
        if (exp.setsTime() && exp.whenMillis <= keyspace.now()) {
            db.delete(key);
            notify(c, GENERIC, "del", key);
            propagateAs(c, bytes("DEL"), key);
            return;
        }
        db.set(key, value, exp.kind == ExpiryOption.Kind.KEEPTTL);
        notify(c, STRING, "set", key);
        if (exp.setsTime()) {
            db.expireAt(key, exp.whenMillis);
            notify(c, GENERIC, "expire", key);
            propagateAs(c, bytes("SET"), key, value, bytes("PXAT"), Numbers.toBytes(exp.whenMillis));
        }
    }

    private void setnx(Client c, byte[][] a) {
        Database db = db(c);
        if (db.exists(a[1])) {
            c.reply().integer(0);
            return;
        }
        db.set(a[1], a[2]);
        dirty(1);
        notify(c, STRING, "set", a[1]);
        c.reply().integer(1);
    }

    private void setex(Client c, byte[][] a, boolean millis) {
        long v = Args.integer(a[2]);
        String name = millis ? "psetex" : "setex";
        if (v <= 0) {
            throw new CommandError(Errors.invalidExpire(name));
        }
        ExpiryOption exp = new ExpiryOption();
        exp.kind = millis ? ExpiryOption.Kind.PX : ExpiryOption.Kind.EX;
        exp.resolve(a[2], keyspace.now(), name);
        store(c, db(c), a[1], a[3], exp);
        c.reply().ok();
    }

    // GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
    private void getex(Client c, byte[][] a) {
        ExpiryOption exp = new ExpiryOption();
        for (int i = 2; i < a.length; ) {
            int took = exp.parse(a, i, false, true);
            if (took == 0) {
                throw Errors.syntax();
            }
            if (took == 2) {
                exp.resolve(a[i + 1], keyspace.now(), "getex");
            }
            i += took;
        }
        Database db = db(c);
        byte[] v = readString(db, a[1]);
        if (v == null) {
            c.reply().nullBulk();
            return;
        }
        if (exp.setsTime()) {
            if (exp.whenMillis <= keyspace.now()) {
                db.delete(a[1]);
                notify(c, GENERIC, "del", a[1]);
                propagateAs(c, bytes("DEL"), a[1]);
            } else {
                db.expireAt(a[1], exp.whenMillis);
                notify(c, GENERIC, "expire", a[1]);
                propagateAs(c, bytes("PEXPIREAT"), a[1], Numbers.toBytes(exp.whenMillis));
            }
            dirty(1);
        } else if (exp.kind == ExpiryOption.Kind.PERSIST && db.removeExpire(a[1])) {
            dirty(1);
            notify(c, GENERIC, "persist", a[1]);
            propagateAs(c, bytes("PERSIST"), a[1]);
        }
        c.reply().bulk(v);
    }

    private void getdel(Client c, byte[][] a) {
        Database db = db(c);
        byte[] v = readString(db, a[1]);
        if (v != null) {
            db.delete(a[1]);
            dirty(1);
            notify(c, GENERIC, "del", a[1]);
            propagateAs(c, Args.bytes("DEL"), a[1]); // replicas and the AOF see a plain DEL, as Redis sends
        }
        c.reply().bulk(v);
    }

    private void getset(Client c, byte[][] a) {
        Database db = db(c);
        byte[] old = writeString(db, a[1]);
        db.set(a[1], a[2]);
        dirty(1);
        notify(c, STRING, "set", a[1]);
        c.reply().bulk(old);
    }

    private void mset(Client c, byte[][] a) {
        if (a.length % 2 == 0) {
            throw new CommandError(Errors.arity("mset"));
        }
        Database db = db(c);
        for (int i = 1; i < a.length; i += 2) {
            db.set(a[i], a[i + 1]);
            notify(c, STRING, "set", a[i]);
        }
        dirty((a.length - 1) / 2);
        c.reply().ok();
    }

    private void msetnx(Client c, byte[][] a) {
        if (a.length % 2 == 0) {
            throw new CommandError(Errors.arity("msetnx"));
        }
        Database db = db(c);
        for (int i = 1; i < a.length; i += 2) {
            if (db.exists(a[i])) {
                c.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < a.length; i += 2) {
            db.set(a[i], a[i + 1]);
            notify(c, STRING, "set", a[i]);
        }
        dirty((a.length - 1) / 2);
        c.reply().integer(1);
    }

    private void mget(Client c, byte[][] a) {
        Database db = db(c);
        RespWriter r = c.reply();
        r.array(a.length - 1);
        for (int i = 1; i < a.length; i++) {
            Object v = db.get(a[i]);
            r.bulk(v instanceof byte[] b ? b : null);
        }
    }

    private void append(Client c, byte[][] a) {
        Database db = db(c);
        byte[] old = writeString(db, a[1]);
        byte[] result;
        if (old == null) {
            result = a[2];
        } else {
            checkStringLength((long) old.length + a[2].length);
            result = Arrays.copyOf(old, old.length + a[2].length);
            System.arraycopy(a[2], 0, result, old.length, a[2].length);
        }
        db.setRaw(a[1], result);
        dirty(1);
        notify(c, STRING, "append", a[1]);
        c.reply().integer(result.length);
    }

    private void strlen(Client c, byte[][] a) {
        byte[] v = readString(db(c), a[1]);
        c.reply().integer(v == null ? 0 : v.length);
    }

    private void getrange(Client c, byte[][] a) {
        long start = Args.integer(a[2]);
        long end = Args.integer(a[3]);
        byte[] v = readString(db(c), a[1]);
        if (v == null) {
            c.reply().bulk(new byte[0]);
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(new byte[0]);
            return;
        }
        if (start < 0) {
            start = len + start;
        }
        if (end < 0) {
            end = len + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply().bulk(new byte[0]);
            return;
        }
        c.reply().bulk(Arrays.copyOfRange(v, (int) start, (int) end + 1));
    }

    private void setrange(Client c, byte[][] a) {
        long offset = Args.integer(a[2]);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        byte[] value = a[3];
        Database db = db(c);
        byte[] old = writeString(db, a[1]);
        if (old == null) {
            if (value.length == 0) {
                c.reply().integer(0);
                return;
            }
            checkStringLength(offset > Long.MAX_VALUE - value.length ? Long.MAX_VALUE : offset + value.length);
            byte[] result = new byte[(int) (offset + value.length)];
            System.arraycopy(value, 0, result, (int) offset, value.length);
            db.setRaw(a[1], result);
            dirty(1);
            notify(c, STRING, "setrange", a[1]);
            c.reply().integer(result.length);
            return;
        }
        if (value.length == 0) {
            c.reply().integer(old.length);
            return;
        }
        checkStringLength(offset > Long.MAX_VALUE - value.length ? Long.MAX_VALUE : offset + value.length);
        int newLen = (int) Math.max(old.length, offset + value.length);
        byte[] result = Arrays.copyOf(old, newLen);
        System.arraycopy(value, 0, result, (int) offset, value.length);
        db.setRaw(a[1], result);
        dirty(1);
        notify(c, STRING, "setrange", a[1]);
        c.reply().integer(result.length);
    }

    private void decrby(Client c, byte[][] a) {
        long by = Args.integer(a[2]);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        incrBy(c, a[1], -by);
    }

    private void incrBy(Client c, byte[] key, long by) {
        Database db = db(c);
        byte[] old = writeString(db, key);
        long value = 0;
        if (old != null) {
            value = Numbers.parseLong(old);
            if (value == Numbers.INVALID && !Numbers.isLong(old)) {
                throw new CommandError(Errors.NOT_INTEGER);
            }
        }
        long result;
        try {
            result = Math.addExact(value, by);
        } catch (ArithmeticException e) {
            throw new CommandError(Errors.OVERFLOW);
        }
        db.set(key, Numbers.toBytes(result), true);
        dirty(1);
        notify(c, STRING, "incrby", key);
        c.reply().integer(result);
    }

    private void incrbyfloat(Client c, byte[][] a) {
        Database db = db(c);
        byte[] old = writeString(db, a[1]);
        BigDecimal value = BigDecimal.ZERO;
        if (old != null) {
            value = DoubleFormat.parseExact(old);
            if (value == null) {
                throw new CommandError(Errors.NOT_FLOAT);
            }
        }
        BigDecimal by = DoubleFormat.parseExact(a[2]);
        if (by == null) {
            Double d = DoubleFormat.parse(a[2]);
            if (d != null && d.isInfinite()) {
                throw new CommandError("ERR increment would produce NaN or Infinity");
            }
            throw new CommandError(Errors.NOT_FLOAT);
        }
        if (Double.isInfinite(value.add(by).doubleValue())) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] result = DoubleFormat.addLongDouble(value, by).getBytes(StandardCharsets.US_ASCII);
        db.set(a[1], result, true);
        dirty(1);
        notify(c, STRING, "incrbyfloat", a[1]);
        propagateAs(c, bytes("SET"), a[1], result, bytes("KEEPTTL"));
        c.reply().bulk(result);
    }

    // LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
    private void lcs(Client c, byte[][] a) {
        boolean len = false;
        boolean idx = false;
        boolean withLen = false;
        long minMatch = 0;
        for (int i = 3; i < a.length; i++) {
            if (Args.is(a[i], "LEN")) {
                len = true;
            } else if (Args.is(a[i], "IDX")) {
                idx = true;
            } else if (Args.is(a[i], "WITHMATCHLEN")) {
                withLen = true;
            } else if (Args.is(a[i], "MINMATCHLEN") && i + 1 < a.length) {
                minMatch = Math.max(0, Args.integer(a[++i]));
            } else {
                throw Errors.syntax();
            }
        }
        Database db = db(c);
        Object va = db.get(a[1]);
        Object vb = db.get(a[2]);
        if (va != null && !(va instanceof byte[]) || vb != null && !(vb instanceof byte[])) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        if (len && idx) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        byte[] x = va == null ? new byte[0] : (byte[]) va;
        byte[] y = vb == null ? new byte[0] : (byte[]) vb;
        if ((long) (x.length + 1) * (y.length + 1) * 4 > config.protoMaxBulkLen) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        Lcs.reply(c.reply(), x, y, len, idx, withLen, minMatch);
    }
}
