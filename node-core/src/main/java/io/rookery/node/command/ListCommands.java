package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.LIST;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** List commands (Redis's t_list.c), blocking ones included. */
final class ListCommands extends CommandGroup {

    private final TypeContext types;
    private final Blocking blocking;

    ListCommands(CommandBasics basics, TypeContext types, Blocking blocking) {
        super(basics);
        this.types = types;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("lpush", (c, a) -> push(c, a, true, false))
                .register("rpush", (c, a) -> push(c, a, false, false))
                .register("lpushx", (c, a) -> push(c, a, true, true))
                .register("rpushx", (c, a) -> push(c, a, false, true))
                .register("lpop", (c, a) -> pop(c, a, true))
                .register("rpop", (c, a) -> pop(c, a, false))
                .register("llen", (c, a) -> {
                    ListValue l = typed(db(c), a[1], ListValue.class, false);
                    c.reply().integer(l == null ? 0 : l.size());
                })
                .register("lrange", this::lrange)
                .register("lindex", this::lindex)
                .register("lset", this::lset)
                .register("linsert", this::linsert)
                .register("lrem", this::lrem)
                .register("ltrim", this::ltrim)
                .register("lpos", this::lpos)
                .register("lmove", (c, a) -> move(c, a[1], a[2], side(a[3]), side(a[4]), -1))
                .register("rpoplpush", (c, a) -> move(c, a[1], a[2], false, true, -1))
                .register("lmpop", (c, a) -> mpop(c, a, 1, -1))
                .register("blpop", (c, a) -> bpop(c, a, true))
                .register("brpop", (c, a) -> bpop(c, a, false))
                .register("blmove", (c, a) -> move(c, a[1], a[2], side(a[3]), side(a[4]), timeout(a[5])))
                .register("brpoplpush", (c, a) -> move(c, a[1], a[2], false, true, timeout(a[3])))
                .register("blmpop", (c, a) -> mpop(c, a, 2, timeout(a[1])));
    }

    private static boolean side(byte[] a) {
        if (Args.is(a, "LEFT")) {
            return true;
        }
        if (Args.is(a, "RIGHT")) {
            return false;
        }
        throw Errors.syntax();
    }

    /** A blocking timeout in seconds (fractions allowed) as milliseconds; 0 waits forever. */
    static long timeout(byte[] a) {
        Double d = io.rookery.protocol.DoubleFormat.parse(a);
        if (d == null || d.isInfinite() || d > 1e15) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (d < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return (long) Math.ceil(d * 1000);
    }

    private ListValue writable(Database db, byte[] key) {
        ListValue l = typed(db, key, ListValue.class, true);
        if (l == null) {
            l = new ListValue(types);
            db.add(key, l);
        }
        return l;
    }

    private void push(Client c, byte[][] a, boolean left, boolean onlyIfExists) {
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        if (l == null && onlyIfExists) {
            c.reply().integer(0);
            return;
        }
        if (l == null) {
            l = new ListValue(types);
            for (int i = 2; i < a.length; i++) {
                if (left) {
                    l.pushHead(a[i]);
                } else {
                    l.pushTail(a[i]);
                }
            }
            db.add(a[1], l);
        } else {
            for (int i = 2; i < a.length; i++) {
                if (left) {
                    l.pushHead(a[i]);
                } else {
                    l.pushTail(a[i]);
                }
            }
            blocking.signal(c.db, a[1]);
        }
        dirty(a.length - 2);
        notify(c, LIST, left ? "lpush" : "rpush", a[1]);
        c.reply().integer(l.size());
    }

    // LPOP key [count]: one element, or with a count an array (nil when the key is missing).
    private void pop(Client c, byte[][] a, boolean left) {
        if (a.length > 3) {
            throw new CommandError(Errors.arity(left ? "lpop" : "rpop"));
        }
        long count = -1;
        if (a.length == 3) {
            count = Args.integer(a[2], 0, Long.MAX_VALUE, Errors.POSITIVE_COUNT);
        }
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        RespWriter r = c.reply();
        if (l == null) {
            if (count >= 0) {
                r.nullArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        if (count < 0) {
            r.bulk(left ? l.popHead() : l.popTail());
        } else {
            int n = (int) Math.min(count, l.size());
            r.array(n);
            for (int i = 0; i < n; i++) {
                r.bulk(left ? l.popHead() : l.popTail());
            }
            if (n == 0) {
                return;
            }
        }
        dirty(1);
        notify(c, LIST, left ? "lpop" : "rpop", a[1]);
        deleteIfEmpty(c, db, a[1], l);
    }

    private void lrange(Client c, byte[][] a) {
        long start = Args.integer(a[2]);
        long end = Args.integer(a[3]);
        ListValue l = typed(db(c), a[1], ListValue.class, false);
        RespWriter r = c.reply();
        Ranks ranks = Ranks.of(start, end, l == null ? 0 : l.size());
        if (ranks.isEmpty()) {
            r.emptyArray();
            return;
        }
        r.array(ranks.to() - ranks.from() + 1);
        for (long i = ranks.from(); i <= ranks.to(); i++) {
            r.bulk(l.get(i));
        }
    }

    private void lindex(Client c, byte[][] a) {
        long index = Args.integer(a[2]);
        ListValue l = typed(db(c), a[1], ListValue.class, false);
        if (l == null) {
            c.reply().nullBulk();
            return;
        }
        if (index < 0) {
            index = l.size() + index;
        }
        c.reply().bulk(index < 0 || index >= l.size() ? null : l.get(index));
    }

    private void lset(Client c, byte[][] a) {
        long index = Args.integer(a[2]);
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        if (l == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (index < 0) {
            index = l.size() + index;
        }
        if (index < 0 || index >= l.size()) {
            throw new CommandError("ERR index out of range");
        }
        l.set(index, a[3]);
        dirty(1);
        notify(c, LIST, "lset", a[1]);
        c.reply().ok();
    }

    // LINSERT key <BEFORE | AFTER> pivot element: new length, -1 without the pivot, 0 without the key.
    private void linsert(Client c, byte[][] a) {
        boolean before;
        if (Args.is(a[2], "BEFORE")) {
            before = true;
        } else if (Args.is(a[2], "AFTER")) {
            before = false;
        } else {
            throw Errors.syntax();
        }
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        for (int i = 0; i < l.size(); i++) {
            if (Arrays.equals(l.get(i), a[3])) {
                l.insert(before ? i : i + 1, a[4]);
                dirty(1);
                notify(c, LIST, "linsert", a[1]);
                c.reply().integer(l.size());
                return;
            }
        }
        c.reply().integer(-1);
    }

    // LREM key count element: count > 0 from the head, < 0 from the tail, 0 all.
    private void lrem(Client c, byte[][] a) {
        long count = Args.integer(a[2]);
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        int size = (int) l.size();
        boolean[] keep = new boolean[size];
        Arrays.fill(keep, true);
        long removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (int i = 0; i < size && removed < limit; i++) {
                if (Arrays.equals(l.get(i), a[3])) {
                    keep[i] = false;
                    removed++;
                }
            }
        } else {
            for (int i = size - 1; i >= 0 && removed < limit; i--) {
                if (Arrays.equals(l.get(i), a[3])) {
                    keep[i] = false;
                    removed++;
                }
            }
        }
        if (removed > 0) {
            l.retain(keep);
            dirty(removed);
            notify(c, LIST, "lrem", a[1]);
            deleteIfEmpty(c, db, a[1], l);
        }
        c.reply().integer(removed);
    }

    private void ltrim(Client c, byte[][] a) {
        long start = Args.integer(a[2]);
        long end = Args.integer(a[3]);
        Database db = db(c);
        ListValue l = typed(db, a[1], ListValue.class, true);
        if (l == null) {
            c.reply().ok();
            return;
        }
        Ranks ranks = Ranks.of(start, end, l.size());
        dirty(1);
        notify(c, LIST, "ltrim", a[1]);
        if (ranks.isEmpty()) {
            db.delete(a[1]);
            notify(c, io.rookery.node.config.KeyspaceEventFlags.GENERIC, "del", a[1]);
        } else {
            l.trim(ranks.from(), ranks.to());
        }
        c.reply().ok();
    }

    // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
    private void lpos(Client c, byte[][] a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < a.length; i++) {
            if (i + 1 >= a.length) {
                throw Errors.syntax();
            }
            if (Args.is(a[i], "RANK")) {
                rank = Args.integer(a[++i]);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                            + "second ... or use negative to start from the end of the list");
                }
                if (rank == Long.MIN_VALUE) {
                    throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
                }
            } else if (Args.is(a[i], "COUNT")) {
                count = Args.integer(a[++i]);
                if (count < 0) {
                    throw new CommandError("ERR COUNT can't be negative");
                }
            } else if (Args.is(a[i], "MAXLEN")) {
                maxlen = Args.integer(a[++i]);
                if (maxlen < 0) {
                    throw new CommandError("ERR MAXLEN can't be negative");
                }
            } else {
                throw Errors.syntax();
            }
        }
        ListValue l = typed(db(c), a[1], ListValue.class, false);
        RespWriter r = c.reply();
        if (l == null) {
            if (count >= 0) {
                r.emptyArray();
            } else {
                r.nullBulk();
            }
            return;
        }
        List<Long> matches = new ArrayList<>();
        int size = (int) l.size();
        long skip = Math.abs(rank) - 1;
        long want = count < 0 ? 1 : (count == 0 ? Long.MAX_VALUE : count);
        for (int n = 0; n < size && (maxlen == 0 || n < maxlen) && matches.size() < want; n++) {
            int i = rank > 0 ? n : size - 1 - n;
            if (Arrays.equals(l.get(i), a[2])) {
                if (skip > 0) {
                    skip--;
                } else {
                    matches.add((long) i);
                }
            }
        }
        if (count < 0) {
            if (matches.isEmpty()) {
                r.nullBulk();
            } else {
                r.integer(matches.get(0));
            }
            return;
        }
        r.array(matches.size());
        for (long m : matches) {
            r.integer(m);
        }
    }

    /** LMOVE/BLMOVE/RPOPLPUSH/BRPOPLPUSH; {@code timeoutMillis} -1 means not blocking. */
    private void move(Client c, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft, long timeoutMillis) {
        BlockingPop.serveOrBlock(keyspace, blocking, c, List.of(src), timeoutMillis, (db, key) -> {
            if (typed(db, src, ListValue.class, true) == null) {
                return false;
            }
            Object target = db.getForWrite(dst);
            if (target != null && !(target instanceof ListValue)) {
                // WRONGTYPE before anything moves; a blocked client gets it too, and stops waiting (Redis's serveClientBlockedOnList)
                c.reply().error(Errors.WRONGTYPE);
                return true;
            }
            moveOne(c, db, src, dst, fromLeft, toLeft);
            return true;
        }, timeoutMillis < 0 ? () -> c.reply().nullBulk() : () -> c.reply().nullArray());
    }

    /** Moves one element; events as Redis orders them: the push on the destination, then the pop. */
    private void moveOne(Client c, Database db, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft) {
        ListValue from = (ListValue) db.getForWrite(src);
        byte[] v = fromLeft ? from.popHead() : from.popTail();
        ListValue to = (ListValue) db.getForWrite(dst);
        if (to == null) {
            to = new ListValue(types);
            to.pushHead(v);
            db.add(dst, to);
        } else {
            if (toLeft) {
                to.pushHead(v);
            } else {
                to.pushTail(v);
            }
            blocking.signal(db.id(), dst);
        }
        blocking.written(db.id(), dst);
        notify(c, LIST, toLeft ? "lpush" : "rpush", dst);
        notify(c, LIST, fromLeft ? "lpop" : "rpop", src);
        propagateAs(c, bytes("LMOVE"), src, dst, bytes(fromLeft ? "LEFT" : "RIGHT"), bytes(toLeft ? "LEFT" : "RIGHT"));
        if (from.size() == 0) {
            db.delete(src);
            notify(c, io.rookery.node.config.KeyspaceEventFlags.GENERIC, "del", src);
        }
        dirty(2);
        c.reply().bulk(v);
    }

    // BLPOP key [key ...] timeout
    private void bpop(Client c, byte[][] a, boolean left) {
        long timeout = timeout(a[a.length - 1]);
        List<byte[]> keys = Arrays.asList(a).subList(1, a.length - 1);
        BlockingPop.serveOrBlock(keyspace, blocking, c, keys, timeout, (db, key) -> {
            ListValue l = typed(db, key, ListValue.class, true);
            if (l == null) {
                return false;
            }
            popOneReply(c, db, key, l, left);
            return true;
        }, () -> c.reply().nullArray());
    }

    private void popOneReply(Client c, Database db, byte[] key, ListValue l, boolean left) {
        byte[] v = left ? l.popHead() : l.popTail();
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(key);
        r.bulk(v);
        dirty(1);
        notify(c, LIST, left ? "lpop" : "rpop", key);
        propagateAs(c, bytes(left ? "LPOP" : "RPOP"), key);
        deleteIfEmpty(c, db, key, l);
    }

    // LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]; BLMPOP timeout numkeys ...
    private void mpop(Client c, byte[][] a, int numkeysAt, long timeoutMillis) {
        BlockingPop.MultiPop args = BlockingPop.MultiPop.parse(a, numkeysAt, "LEFT", "RIGHT");
        BlockingPop.serveOrBlock(keyspace, blocking, c, args.keys(), timeoutMillis, (db, key) -> {
            ListValue l = typed(db, key, ListValue.class, true);
            if (l == null) {
                return false;
            }
            mpopReply(c, db, key, l, args.first(), args.count());
            return true;
        }, () -> c.reply().nullArray());
    }

    private void mpopReply(Client c, Database db, byte[] key, ListValue l, boolean left, long count) {
        int n = (int) Math.min(count, l.size());
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(key);
        r.array(n);
        for (int i = 0; i < n; i++) {
            r.bulk(left ? l.popHead() : l.popTail());
        }
        dirty(n);
        notify(c, LIST, left ? "lpop" : "rpop", key);
        propagateAs(c, bytes(left ? "LPOP" : "RPOP"), key, io.rookery.protocol.Numbers.toBytes(n));
        deleteIfEmpty(c, db, key, l);
    }
}
