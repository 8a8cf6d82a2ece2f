package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;
import static io.rookery.node.config.KeyspaceEventFlags.SET;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Set commands (Redis's t_set.c). */
final class SetCommands extends CommandGroup {

    private final TypeContext types;

    SetCommands(CommandBasics basics, TypeContext types) {
        super(basics);
        this.types = types;
    }

    void register(CommandRegistry r) {
        r.register("sadd", this::sadd)
                .register("srem", this::srem)
                .register("smembers", (c, a) -> {
                    SetValue s = typed(db(c), a[1], SetValue.class, false);
                    replySet(c.reply(), s == null ? List.of() : s.members());
                })
                .register("sismember", (c, a) -> {
                    SetValue s = typed(db(c), a[1], SetValue.class, false);
                    c.reply().integer(s != null && s.contains(a[2]) ? 1 : 0);
                })
                .register("smismember", (c, a) -> {
                    SetValue s = typed(db(c), a[1], SetValue.class, false);
                    c.reply().array(a.length - 2);
                    for (int i = 2; i < a.length; i++) {
                        c.reply().integer(s != null && s.contains(a[i]) ? 1 : 0);
                    }
                })
                .register("scard", (c, a) -> {
                    SetValue s = typed(db(c), a[1], SetValue.class, false);
                    c.reply().integer(s == null ? 0 : s.size());
                })
                .register("spop", this::spop)
                .register("srandmember", this::srandmember)
                .register("smove", this::smove)
                .register("sinter", (c, a) -> combine(c, a, 1, Op.INTER, null))
                .register("sinterstore", (c, a) -> combine(c, a, 2, Op.INTER, a[1]))
                .register("sunion", (c, a) -> combine(c, a, 1, Op.UNION, null))
                .register("sunionstore", (c, a) -> combine(c, a, 2, Op.UNION, a[1]))
                .register("sdiff", (c, a) -> combine(c, a, 1, Op.DIFF, null))
                .register("sdiffstore", (c, a) -> combine(c, a, 2, Op.DIFF, a[1]))
                .register("sintercard", this::sintercard)
                .register("sscan", this::sscan);
    }

    private static void replySet(RespWriter r, List<byte[]> members) {
        r.set(members.size());
        for (byte[] m : members) {
            r.bulk(m);
        }
    }

    private void sadd(Client c, byte[][] a) {
        Database db = db(c);
        SetValue s = typed(db, a[1], SetValue.class, true);
        boolean created = s == null;
        if (created) {
            s = new SetValue(types);
        }
        long added = 0;
        for (int i = 2; i < a.length; i++) {
            if (s.add(a[i])) {
                added++;
            }
        }
        if (created) {
            db.add(a[1], s);
        }
        if (added > 0) {
            dirty(added);
            notify(c, SET, "sadd", a[1]);
        }
        c.reply().integer(added);
    }

    private void srem(Client c, byte[][] a) {
        removeMembers(c, a, SetValue.class, SetValue::remove, SET, "srem");
    }

    // SPOP key [count]
    private void spop(Client c, byte[][] a) {
        if (a.length > 3) {
            throw Errors.syntax();
        }
        long count = -1;
        if (a.length == 3) {
            count = Args.integer(a[2], 0, Long.MAX_VALUE, Errors.POSITIVE_COUNT);
        }
        Database db = db(c);
        SetValue s = typed(db, a[1], SetValue.class, true);
        RespWriter r = c.reply();
        if (s == null) {
            if (count >= 0) {
                r.set(0);
            } else {
                r.nullBulk();
            }
            return;
        }
        if (count < 0) {
            byte[] m = s.random(ThreadLocalRandom.current());
            s.remove(m);
            r.bulk(m);
            propagateAs(c, bytes("SREM"), a[1], m);
            count = 1;
        } else {
            List<byte[]> popped = new ArrayList<>();
            for (long i = 0; i < count && s.size() > 0; i++) {
                byte[] m = s.random(ThreadLocalRandom.current());
                s.remove(m);
                popped.add(m);
            }
            replySet(r, popped);
            if (popped.isEmpty()) {
                return;
            }
            byte[][] srem = new byte[popped.size() + 2][];
            srem[0] = bytes("SREM");
            srem[1] = a[1];
            for (int i = 0; i < popped.size(); i++) {
                srem[i + 2] = popped.get(i);
            }
            propagateAs(c, srem);
        }
        dirty(count);
        notify(c, SET, "spop", a[1]);
        deleteIfEmpty(c, db, a[1], s);
    }

    // SRANDMEMBER key [count]: a negative count may repeat members.
    private void srandmember(Client c, byte[][] a) {
        if (a.length > 3) {
            throw Errors.syntax();
        }
        SetValue s = typed(db(c), a[1], SetValue.class, false);
        RespWriter r = c.reply();
        if (a.length == 2) {
            r.bulk(s == null ? null : s.random(ThreadLocalRandom.current()));
            return;
        }
        long count = Args.integer(a[2]);
        if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        if (s == null || count == 0) {
            r.emptyArray();
            return;
        }
        if (count < 0) {
            r.array(-count);
            for (long i = 0; i < -count; i++) {
                r.bulk(s.random(ThreadLocalRandom.current()));
            }
            return;
        }
        List<byte[]> all = s.members();
        java.util.Collections.shuffle(all, ThreadLocalRandom.current());
        List<byte[]> picked = all.subList(0, (int) Math.min(count, all.size()));
        r.array(picked.size());
        picked.forEach(r::bulk);
    }

    private void smove(Client c, byte[][] a) {
        Database db = db(c);
        SetValue src = typed(db, a[1], SetValue.class, true);
        SetValue dst = typed(db, a[2], SetValue.class, true);
        if (src == null || !src.contains(a[3])) {
            c.reply().integer(0);
            return;
        }
        if (src == dst) {
            c.reply().integer(1);
            return;
        }
        src.remove(a[3]);
        notify(c, SET, "srem", a[1]);
        deleteIfEmpty(c, db, a[1], src);
        if (dst == null) {
            dst = new SetValue(types);
            dst.add(a[3]);
            db.add(a[2], dst);
        } else {
            dst.add(a[3]);
        }
        notify(c, SET, "sadd", a[2]);
        dirty(1);
        c.reply().integer(1);
    }

    enum Op { INTER, UNION, DIFF }

    /** The sets named by a[from..], each null when missing; WRONGTYPE for other types. */
    private List<SetValue> sets(Database db, byte[][] a, int from, boolean write) {
        List<SetValue> out = new ArrayList<>();
        for (int i = from; i < a.length; i++) {
            out.add(typed(db, a[i], SetValue.class, write));
        }
        return out;
    }

    static List<byte[]> compute(List<SetValue> sets, Op op) {
        List<byte[]> result = new ArrayList<>();
        switch (op) {
            case INTER -> {
                if (sets.stream().anyMatch(java.util.Objects::isNull)) {
                    return result;
                }
                List<SetValue> sorted = new ArrayList<>(sets);
                sorted.sort(Comparator.comparingLong(SetValue::size));
                sorted.get(0).forEach(m -> {
                    for (int i = 1; i < sorted.size(); i++) {
                        if (!sorted.get(i).contains(m)) {
                            return;
                        }
                    }
                    result.add(m);
                });
            }
            case UNION -> {
                java.util.Set<io.rookery.node.keyspace.BinaryKey> seen = new java.util.LinkedHashSet<>();
                for (SetValue s : sets) {
                    if (s != null) {
                        s.forEach(m -> seen.add(new io.rookery.node.keyspace.BinaryKey(m)));
                    }
                }
                seen.forEach(k -> result.add(k.bytes()));
            }
            case DIFF -> {
                if (sets.get(0) == null) {
                    return result;
                }
                sets.get(0).forEach(m -> {
                    for (int i = 1; i < sets.size(); i++) {
                        if (sets.get(i) != null && sets.get(i).contains(m)) {
                            return;
                        }
                    }
                    result.add(m);
                });
            }
        }
        return result;
    }

    private void combine(Client c, byte[][] a, int from, Op op, byte[] destination) {
        Database db = db(c);
        List<byte[]> result = compute(sets(db, a, from, destination != null), op);
        if (destination == null) {
            replySet(c.reply(), result);
            return;
        }
        boolean existed = db.exists(destination);
        if (result.isEmpty()) {
            if (existed) {
                db.delete(destination);
                notify(c, GENERIC, "del", destination);
            }
        } else {
            SetValue s = new SetValue(types);
            result.forEach(s::add);
            db.delete(destination);
            db.add(destination, s);
            notify(c, SET, op == Op.INTER ? "sinterstore" : op == Op.UNION ? "sunionstore" : "sdiffstore", destination);
        }
        dirty(1);
        c.reply().integer(result.size());
    }

    // SINTERCARD numkeys key [key ...] [LIMIT limit]
    private void sintercard(Client c, byte[][] a) {
        long numkeys = Args.integer(a[1], "ERR numkeys should be greater than 0");
        if (numkeys <= 0) {
            throw new CommandError("ERR numkeys should be greater than 0");
        }
        if (numkeys > a.length - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        int end = (int) (2 + numkeys);
        for (int i = end; i < a.length; i++) {
            if (Args.is(a[i], "LIMIT") && i + 1 < a.length) {
                limit = Args.integer(a[++i], "ERR LIMIT can't be negative");
                if (limit < 0) {
                    throw new CommandError("ERR LIMIT can't be negative");
                }
            } else {
                throw Errors.syntax();
            }
        }
        List<SetValue> sets = new ArrayList<>();
        Database db = db(c);
        for (int i = 2; i < end; i++) {
            sets.add(typed(db, a[i], SetValue.class, false));
        }
        long n = compute(sets, Op.INTER).size();
        c.reply().integer(limit > 0 ? Math.min(limit, n) : n);
    }

    private void sscan(Client c, byte[][] a) {
        long cursor = KeyCommands.parseCursor(a[2]);
        SetValue s = typed(db(c), a[1], SetValue.class, false);
        ScanArgs args = ScanArgs.parse(a, 3);
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        if (s != null) {
            List<byte[]> found = new ArrayList<>();
            long budget = args.count * 10;
            do {
                cursor = s.scan(cursor, found::add);
            } while (cursor != 0 && budget-- > 0 && found.size() < args.count);
            next = cursor;
            for (byte[] m : found) {
                if (args.pattern == null || Glob.matches(args.pattern, m, false)) {
                    out.add(m);
                }
            }
        }
        args.reply(c.reply(), next, out);
    }
}
