package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.HASH;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Hash commands (Redis's t_hash.c). */
final class HashCommands extends CommandGroup {

    private final TypeContext types;

    HashCommands(CommandBasics basics, TypeContext types) {
        super(basics);
        this.types = types;
    }

    void register(CommandRegistry r) {
        r.register("hset", (c, a) -> hset(c, a, false))
                .register("hmset", (c, a) -> hset(c, a, true))
                .register("hsetnx", this::hsetnx)
                .register("hget", (c, a) -> {
                    HashValue h = typed(db(c), a[1], HashValue.class, false);
                    c.reply().bulk(h == null ? null : h.get(a[2]));
                })
                .register("hmget", this::hmget)
                .register("hgetall", (c, a) -> all(c, a, true, true))
                .register("hkeys", (c, a) -> all(c, a, true, false))
                .register("hvals", (c, a) -> all(c, a, false, true))
                .register("hdel", this::hdel)
                .register("hexists", (c, a) -> {
                    HashValue h = typed(db(c), a[1], HashValue.class, false);
                    c.reply().integer(h != null && h.contains(a[2]) ? 1 : 0);
                })
                .register("hlen", (c, a) -> {
                    HashValue h = typed(db(c), a[1], HashValue.class, false);
                    c.reply().integer(h == null ? 0 : h.size());
                })
                .register("hstrlen", (c, a) -> {
                    HashValue h = typed(db(c), a[1], HashValue.class, false);
                    byte[] v = h == null ? null : h.get(a[2]);
                    c.reply().integer(v == null ? 0 : v.length);
                })
                .register("hincrby", this::hincrby)
                .register("hincrbyfloat", this::hincrbyfloat)
                .register("hrandfield", this::hrandfield)
                .register("hscan", this::hscan);
    }

    private HashValue writable(Database db, byte[] key) {
        HashValue h = typed(db, key, HashValue.class, true);
        if (h == null) {
            h = new HashValue(types);
            db.add(key, h);
        }
        return h;
    }

    // HSET key field value [field value ...]: the number of new fields (HMSET: OK).
    private void hset(Client c, byte[][] a, boolean legacy) {
        if (a.length % 2 != 0) {
            throw new CommandError(Errors.arity(legacy ? "hmset" : "hset"));
        }
        Database db = db(c);
        HashValue h = writable(db, a[1]);
        long created = 0;
        for (int i = 2; i < a.length; i += 2) {
            if (h.put(a[i], a[i + 1])) {
                created++;
            }
        }
        dirty((a.length - 2) / 2);
        notify(c, HASH, "hset", a[1]);
        if (legacy) {
            c.reply().ok();
        } else {
            c.reply().integer(created);
        }
    }

    private void hsetnx(Client c, byte[][] a) {
        Database db = db(c);
        HashValue h = typed(db, a[1], HashValue.class, true);
        if (h != null && h.contains(a[2])) {
            c.reply().integer(0);
            return;
        }
        writable(db, a[1]).put(a[2], a[3]);
        dirty(1);
        notify(c, HASH, "hset", a[1]);
        c.reply().integer(1);
    }

    private void hmget(Client c, byte[][] a) {
        HashValue h = typed(db(c), a[1], HashValue.class, false);
        RespWriter r = c.reply();
        r.array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            r.bulk(h == null ? null : h.get(a[i]));
        }
    }

    private void all(Client c, byte[][] a, boolean fields, boolean values) {
        HashValue h = typed(db(c), a[1], HashValue.class, false);
        RespWriter r = c.reply();
        if (h == null) {
            if (fields && values) {
                r.map(0);
            } else {
                r.emptyArray();
            }
            return;
        }
        if (fields && values) {
            r.map(h.size());
        } else {
            r.array(h.size());
        }
        h.forEach((f, v) -> {
            if (fields) {
                r.bulk(f);
            }
            if (values) {
                r.bulk(v);
            }
        });
    }

    private void hdel(Client c, byte[][] a) {
        removeMembers(c, a, HashValue.class, HashValue::remove, HASH, "hdel");
    }

    private void hincrby(Client c, byte[][] a) {
        long by = Args.integer(a[3]);
        Database db = db(c);
        HashValue h = typed(db, a[1], HashValue.class, true);
        byte[] old = h == null ? null : h.get(a[2]);
        long value = 0;
        if (old != null) {
            value = Numbers.parseLong(old);
            if (value == Numbers.INVALID && !Numbers.isLong(old)) {
                throw new CommandError("ERR hash value is not an integer");
            }
        }
        long result;
        try {
            result = Math.addExact(value, by);
        } catch (ArithmeticException e) {
            throw new CommandError(Errors.OVERFLOW);
        }
        writable(db, a[1]).put(a[2], Numbers.toBytes(result));
        dirty(1);
        notify(c, HASH, "hincrby", a[1]);
        c.reply().integer(result);
    }

    private void hincrbyfloat(Client c, byte[][] a) {
        BigDecimal by = DoubleFormat.parseExact(a[3]);
        if (by == null) {
            Double d = DoubleFormat.parse(a[3]);
            if (d != null && d.isInfinite()) {
                throw new CommandError("ERR value is NaN or Infinity"); // Redis's text for an infinite increment
            }
            throw new CommandError(Errors.NOT_FLOAT);
        }
        Database db = db(c);
        HashValue h = typed(db, a[1], HashValue.class, true);
        byte[] old = h == null ? null : h.get(a[2]);
        BigDecimal value = BigDecimal.ZERO;
        if (old != null) {
            value = DoubleFormat.parseExact(old);
            if (value == null) {
                throw new CommandError("ERR hash value is not a float");
            }
        }
        if (Double.isInfinite(value.add(by).doubleValue())) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] result = DoubleFormat.addLongDouble(value, by).getBytes(StandardCharsets.US_ASCII);
        writable(db, a[1]).put(a[2], result);
        dirty(1);
        notify(c, HASH, "hincrbyfloat", a[1]);
        propagateAs(c, bytes("HSET"), a[1], a[2], result);
        c.reply().bulk(result);
    }

    // HRANDFIELD key [count [WITHVALUES]]
    private void hrandfield(Client c, byte[][] a) {
        if (a.length > 4 || a.length == 4 && !Args.is(a[3], "WITHVALUES")) {
            throw Errors.syntax();
        }
        HashValue h = typed(db(c), a[1], HashValue.class, false);
        RespWriter r = c.reply();
        if (a.length == 2) {
            r.bulk(h == null ? null : h.random(ThreadLocalRandom.current())[0]);
            return;
        }
        long count = Args.integer(a[2]);
        boolean withValues = a.length == 4;
        if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        if (h == null || count == 0) {
            r.emptyArray();
            return;
        }
        List<byte[][]> picks = new ArrayList<>();
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                picks.add(h.random(ThreadLocalRandom.current()));
            }
        } else {
            List<byte[]> pairs = h.pairs();
            List<byte[][]> all = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i += 2) {
                all.add(new byte[][]{pairs.get(i), pairs.get(i + 1)});
            }
            java.util.Collections.shuffle(all, ThreadLocalRandom.current());
            picks = all.subList(0, (int) Math.min(count, all.size()));
        }
        if (withValues && r.resp3()) {
            r.array(picks.size());
            for (byte[][] p : picks) {
                r.array(2);
                r.bulk(p[0]);
                r.bulk(p[1]);
            }
            return;
        }
        r.array((long) picks.size() * (withValues ? 2 : 1));
        for (byte[][] p : picks) {
            r.bulk(p[0]);
            if (withValues) {
                r.bulk(p[1]);
            }
        }
    }

    private void hscan(Client c, byte[][] a) {
        ScanArgs s = ScanArgs.parse(a, 3);
        HashValue h = typed(db(c), a[1], HashValue.class, false);
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        if (h != null) {
            long cursor = s.cursor(a[2]);
            List<byte[]> found = new ArrayList<>();
            long budget = s.count * 10;
            do {
                cursor = h.scan(cursor, (f, v) -> {
                    found.add(f);
                    found.add(v);
                });
            } while (cursor != 0 && budget-- > 0 && found.size() / 2 < s.count);
            next = cursor;
            for (int i = 0; i < found.size(); i += 2) {
                if (s.pattern == null || Glob.matches(s.pattern, found.get(i), false)) {
                    out.add(found.get(i));
                    out.add(found.get(i + 1));
                }
            }
        }
        s.reply(c.reply(), next, out);
    }
}
