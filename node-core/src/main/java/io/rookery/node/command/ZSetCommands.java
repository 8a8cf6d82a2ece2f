package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;
import static io.rookery.node.config.KeyspaceEventFlags.ZSET;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.BinaryKey;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Glob;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.TypeContext;
import io.rookery.node.types.ZSetValue.Entry;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Sorted set commands (Redis's t_zset.c). */
final class ZSetCommands extends CommandGroup {

    private final TypeContext types;
    private final Blocking blocking;

    ZSetCommands(CommandBasics basics, TypeContext types, Blocking blocking) {
        super(basics);
        this.types = types;
        this.blocking = blocking;
    }

    void register(CommandRegistry r) {
        r.register("zadd", this::zadd)
                .register("zincrby", this::zincrby)
                .register("zrem", this::zrem)
                .register("zscore", (c, a) -> {
                    ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
                    Double s = z == null ? null : z.score(a[2]);
                    if (s == null) {
                        c.reply().nullBulk();
                    } else {
                        c.reply().dbl(s);
                    }
                })
                .register("zmscore", (c, a) -> {
                    ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
                    c.reply().array(a.length - 2);
                    for (int i = 2; i < a.length; i++) {
                        Double s = z == null ? null : z.score(a[i]);
                        if (s == null) {
                            c.reply().nullBulk();
                        } else {
                            c.reply().dbl(s);
                        }
                    }
                })
                .register("zcard", (c, a) -> {
                    ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
                    c.reply().integer(z == null ? 0 : z.size());
                })
                .register("zcount", (c, a) -> count(c, a, false))
                .register("zlexcount", (c, a) -> count(c, a, true))
                .register("zrange", (c, a) -> range(c, a, 1, Mode.RANK, false, false, true, null))
                .register("zrangestore", (c, a) -> range(c, a, 2, Mode.RANK, false, false, true, a[1]))
                .register("zrevrange", (c, a) -> range(c, a, 1, Mode.RANK, true, false, false, null))
                .register("zrangebyscore", (c, a) -> range(c, a, 1, Mode.SCORE, false, true, false, null))
                .register("zrevrangebyscore", (c, a) -> range(c, a, 1, Mode.SCORE, true, true, false, null))
                .register("zrangebylex", (c, a) -> range(c, a, 1, Mode.LEX, false, true, false, null))
                .register("zrevrangebylex", (c, a) -> range(c, a, 1, Mode.LEX, true, true, false, null))
                .register("zrank", (c, a) -> rank(c, a, false))
                .register("zrevrank", (c, a) -> rank(c, a, true))
                .register("zremrangebyrank", (c, a) -> removeRange(c, a, Mode.RANK))
                .register("zremrangebyscore", (c, a) -> removeRange(c, a, Mode.SCORE))
                .register("zremrangebylex", (c, a) -> removeRange(c, a, Mode.LEX))
                .register("zpopmin", (c, a) -> pop(c, a, true))
                .register("zpopmax", (c, a) -> pop(c, a, false))
                .register("bzpopmin", (c, a) -> bpop(c, a, true))
                .register("bzpopmax", (c, a) -> bpop(c, a, false))
                .register("zmpop", (c, a) -> mpop(c, a, 1, -1))
                .register("bzmpop", (c, a) -> mpop(c, a, 2, ListCommands.timeout(a[1])))
                .register("zunion", (c, a) -> combine(c, a, SetOp.UNION, false))
                .register("zinter", (c, a) -> combine(c, a, SetOp.INTER, false))
                .register("zdiff", (c, a) -> combine(c, a, SetOp.DIFF, false))
                .register("zunionstore", (c, a) -> combine(c, a, SetOp.UNION, true))
                .register("zinterstore", (c, a) -> combine(c, a, SetOp.INTER, true))
                .register("zdiffstore", (c, a) -> combine(c, a, SetOp.DIFF, true))
                .register("zintercard", this::zintercard)
                .register("zrandmember", this::zrandmember)
                .register("zscan", this::zscan);
    }

    private ZSetValue writable(Database db, byte[] key) {
        ZSetValue z = typed(db, key, ZSetValue.class, true);
        if (z == null) {
            z = new ZSetValue(types);
            db.add(key, z);
        }
        return z;
    }

    private static double parseScore(byte[] a) {
        Double d = DoubleFormat.parse(a);
        if (d == null || d.isNaN()) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        return d;
    }

    // ---------------------------------------------------------------- ZADD, ZINCRBY, ZREM

    // ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
    private void zadd(Client c, byte[][] a) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < a.length; i++) {
            if (Args.is(a[i], "NX")) {
                nx = true;
            } else if (Args.is(a[i], "XX")) {
                xx = true;
            } else if (Args.is(a[i], "GT")) {
                gt = true;
            } else if (Args.is(a[i], "LT")) {
                lt = true;
            } else if (Args.is(a[i], "CH")) {
                ch = true;
            } else if (Args.is(a[i], "INCR")) {
                incr = true;
            } else {
                break;
            }
        }
        int pairs = a.length - i;
        if (pairs % 2 != 0 || pairs == 0) {
            throw Errors.syntax();
        }
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs > 2) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs / 2];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = parseScore(a[i + k * 2]);
        }
        Database db = db(c);
        ZSetValue z = typed(db, a[1], ZSetValue.class, true);
        if (z == null && xx) {
            if (incr) {
                c.reply().nullBulk();
            } else {
                c.reply().integer(0);
            }
            return;
        }
        boolean created = z == null;
        if (created) {
            z = new ZSetValue(types);
        }
        long added = 0, changed = 0;
        Double incrResult = null;
        for (int k = 0; k < scores.length; k++) {
            byte[] member = a[i + k * 2 + 1];
            double score = scores[k];
            Double current = z.score(member);
            if (current == null) {
                if (xx) {
                    continue;
                }
                z.put(member, score);
                added++;
                incrResult = score;
                continue;
            }
            if (nx) {
                continue;
            }
            double target = score;
            if (incr) {
                target = current + score;
                if (Double.isNaN(target)) {
                    if (created && z.size() == 0) {
                        // nothing stored
                    }
                    throw new CommandError("ERR resulting score is not a number (NaN)");
                }
            }
            if (gt && target <= current || lt && target >= current) {
                continue;
            }
            incrResult = target;
            if (target != current) {
                z.put(member, target);
                changed++;
            }
        }
        if (created && z.size() > 0) {
            db.add(a[1], z);
        } else if (!created && added > 0) {
            blocking.signal(c.db, a[1]);
        }
        if (added + changed > 0) {
            dirty(added + changed);
            notify(c, ZSET, incr ? "zincr" : "zadd", a[1]);
        }
        if (incr) {
            if (incrResult == null) {
                c.reply().nullBulk();
            } else {
                c.reply().dbl(incrResult);
            }
        } else {
            c.reply().integer(ch ? added + changed : added);
        }
    }

    private void zincrby(Client c, byte[][] a) {
        double by = parseScore(a[2]);
        Database db = db(c);
        ZSetValue z = typed(db, a[1], ZSetValue.class, true);
        Double current = z == null ? null : z.score(a[3]);
        double result = current == null ? by : current + by;
        if (Double.isNaN(result)) {
            throw new CommandError("ERR resulting score is not a number (NaN)");
        }
        writable(db, a[1]).put(a[3], result);
        dirty(1);
        notify(c, ZSET, "zincr", a[1]);
        c.reply().dbl(result);
    }

    private void zrem(Client c, byte[][] a) {
        removeMembers(c, a, ZSetValue.class, ZSetValue::remove, ZSET, "zrem");
    }

    // ---------------------------------------------------------------- counts and ranges

    enum Mode { RANK, SCORE, LEX }

    /** Parsed range bounds of one of the three kinds; parsed before the key is looked up, as Redis does. */
    private record Bounds(Mode mode, long start, long stop, ZRange.ScoreBound smin, ZRange.ScoreBound smax,
                          ZSetValue.LexBound lmin, ZSetValue.LexBound lmax) {

        static Bounds parse(Mode mode, byte[] min, byte[] max) {
            return switch (mode) {
                case RANK -> new Bounds(mode, Args.integer(min), Args.integer(max), null, null, null, null);
                case SCORE -> new Bounds(mode, 0, 0, ZRange.score(min), ZRange.score(max), null, null);
                case LEX -> new Bounds(mode, 0, 0, null, null, ZRange.lex(min), ZRange.lex(max));
            };
        }

        /** The ascending ranks the bounds select in {@code z}; {@code to < from} when empty. */
        Ranks ranks(ZSetValue z) {
            return switch (mode) {
                case RANK -> Ranks.of(start, stop, z.size());
                case SCORE -> new Ranks(ZRange.firstRank(z, smin), ZRange.lastRank(z, smax));
                case LEX -> new Ranks(ZRange.firstRank(z, lmin), ZRange.lastRank(z, lmax));
            };
        }
    }

    private void count(Client c, byte[][] a, boolean lex) {
        int lo;
        int hi;
        ZSetValue.LexBound lexMin = null, lexMax = null;
        ZRange.ScoreBound min = null, max = null;
        if (lex) {
            lexMin = ZRange.lex(a[2]);
            lexMax = ZRange.lex(a[3]);
        } else {
            min = ZRange.score(a[2]);
            max = ZRange.score(a[3]);
        }
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        if (lex) {
            lo = ZRange.firstRank(z, lexMin);
            hi = ZRange.lastRank(z, lexMax);
        } else {
            lo = ZRange.firstRank(z, min);
            hi = ZRange.lastRank(z, max);
        }
        c.reply().integer(Math.max(0, hi - lo + 1));
    }

    /**
     * Every range command: ZRANGE (unified 6.2 syntax when {@code unified}), ZRANGESTORE (with a
     * destination), and the legacy ZREVRANGE / Z[REV]RANGEBYSCORE / Z[REV]RANGEBYLEX forms.
     */
    private void range(Client c, byte[][] a, int keyAt, Mode mode, boolean rev, boolean legacyLimit, boolean unified,
                       byte[] destination) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        boolean limitGiven = false;
        for (int i = keyAt + 3; i < a.length; i++) {
            if (Args.is(a[i], "WITHSCORES") && destination == null) {
                withScores = true;
            } else if (Args.is(a[i], "LIMIT") && i + 2 < a.length && (legacyLimit || unified)) {
                offset = Args.integer(a[i + 1]);
                limit = Args.integer(a[i + 2]);
                limitGiven = true;
                i += 2;
            } else if (unified && Args.is(a[i], "BYSCORE") && mode == Mode.RANK) {
                mode = Mode.SCORE;
            } else if (unified && Args.is(a[i], "BYLEX") && mode == Mode.RANK) {
                mode = Mode.LEX;
            } else if (unified && Args.is(a[i], "REV")) {
                rev = true;
            } else {
                throw Errors.syntax();
            }
        }
        if (limitGiven && mode == Mode.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && mode == Mode.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] key = a[keyAt];
        // In REV mode with BYSCORE/BYLEX (and the legacy REV forms) the first bound is the maximum.
        byte[] first = a[keyAt + 1];
        byte[] second = a[keyAt + 2];
        byte[] minArg = rev && mode != Mode.RANK ? second : first;
        byte[] maxArg = rev && mode != Mode.RANK ? first : second;
        Bounds bounds = Bounds.parse(mode, mode == Mode.RANK ? first : minArg, mode == Mode.RANK ? second : maxArg);
        Database db = db(c);
        ZSetValue z = typed(db, key, ZSetValue.class, destination != null);
        List<Entry> result = new ArrayList<>();
        if (z != null) {
            int size = (int) z.size();
            Ranks ranks = bounds.ranks(z);
            int lo = ranks.from();
            int hi = ranks.to();
            if (mode == Mode.RANK && rev && !ranks.isEmpty()) {
                lo = size - 1 - ranks.to();
                hi = size - 1 - ranks.from();
            }
            if (offset < 0) {
                hi = lo - 1;
            } else if (mode != Mode.RANK && lo <= hi) {
                if (rev) {
                    hi = (int) Math.max(lo - 1, hi - offset);
                    if (limit >= 0) {
                        lo = (int) Math.max(lo, hi - limit + 1);
                    }
                } else {
                    lo = (int) Math.min(hi + 1, lo + offset);
                    if (limit >= 0) {
                        hi = (int) Math.min(hi, lo + limit - 1);
                    }
                }
            }
            if (lo <= hi) {
                result = z.range(lo, hi, rev);
            }
        }
        if (destination != null) {
            store(c, db, destination, result, "zrangestore");
            c.reply().integer(result.size());
            return;
        }
        replyEntries(c.reply(), result, withScores);
    }

    /** Members, or with scores: flat pairs under RESP2, [member, score] arrays under RESP3. */
    private static void replyEntries(RespWriter r, List<Entry> entries, boolean withScores) {
        if (!withScores) {
            r.array(entries.size());
            entries.forEach(e -> r.bulk(e.member()));
            return;
        }
        if (r.resp3()) {
            r.array(entries.size());
            for (Entry e : entries) {
                r.array(2);
                r.bulk(e.member());
                r.dbl(e.score());
            }
            return;
        }
        r.array(entries.size() * 2L);
        for (Entry e : entries) {
            r.bulk(e.member());
            r.dbl(e.score());
        }
    }

    /** Replaces {@code destination} with a sorted set of {@code entries} (deletes it when empty). */
    private void store(Client c, Database db, byte[] destination, List<Entry> entries, String event) {
        boolean existed = db.delete(destination);
        if (entries.isEmpty()) {
            if (existed) {
                notify(c, GENERIC, "del", destination);
                dirty(1);
            }
            return;
        }
        ZSetValue z = new ZSetValue(types);
        for (Entry e : entries) {
            z.put(e.member(), e.score());
        }
        db.add(destination, z);
        dirty(1);
        notify(c, ZSET, event, destination);
    }

    private void rank(Client c, byte[][] a, boolean rev) {
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        int r = z == null ? -1 : z.rank(a[2]);
        if (r < 0) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(rev ? z.size() - 1 - r : r);
    }

    private void removeRange(Client c, byte[][] a, Mode mode) {
        Bounds bounds = Bounds.parse(mode, a[2], a[3]);
        Database db = db(c);
        ZSetValue z = typed(db, a[1], ZSetValue.class, true);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        Ranks ranks = bounds.ranks(z);
        int lo = ranks.from();
        int hi = ranks.to();
        int removed = z.removeRange(lo, hi);
        if (removed > 0) {
            dirty(removed);
            String event = switch (mode) {
                case RANK -> "zremrangebyrank";
                case SCORE -> "zremrangebyscore";
                case LEX -> "zremrangebylex";
            };
            notify(c, ZSET, event, a[1]);
            deleteIfEmpty(c, db, a[1], z);
        }
        c.reply().integer(removed);
    }

    // ---------------------------------------------------------------- pops

    /** Removes up to {@code count} lowest (or highest) members. */
    private List<Entry> popEntries(Client c, Database db, byte[] key, ZSetValue z, boolean min, long count) {
        int n = (int) Math.min(count, z.size());
        int size = (int) z.size();
        List<Entry> out = min ? z.range(0, n - 1, false) : z.range(size - n, size - 1, true);
        for (Entry e : out) {
            z.remove(e.member());
        }
        if (n > 0) {
            dirty(n);
            notify(c, ZSET, min ? "zpopmin" : "zpopmax", key);
            propagateAs(c, bytes(min ? "ZPOPMIN" : "ZPOPMAX"), key, io.rookery.protocol.Numbers.toBytes(n));
            deleteIfEmpty(c, db, key, z);
        }
        return out;
    }

    // ZPOPMIN key [count]
    private void pop(Client c, byte[][] a, boolean min) {
        if (a.length > 3) {
            throw Errors.syntax();
        }
        long count = 1;
        if (a.length == 3) {
            count = Args.integer(a[2], 0, Long.MAX_VALUE, Errors.POSITIVE_COUNT);
        }
        Database db = db(c);
        ZSetValue z = typed(db, a[1], ZSetValue.class, true);
        RespWriter r = c.reply();
        if (z == null || count == 0) {
            r.emptyArray();
            return;
        }
        List<Entry> popped = popEntries(c, db, a[1], z, min, count);
        if (r.resp3() && a.length == 3) {
            r.array(popped.size());
            for (Entry e : popped) {
                r.array(2);
                r.bulk(e.member());
                r.dbl(e.score());
            }
            return;
        }
        r.array(popped.size() * 2L);
        for (Entry e : popped) {
            r.bulk(e.member());
            r.dbl(e.score());
        }
    }

    // BZPOPMIN key [key ...] timeout
    private void bpop(Client c, byte[][] a, boolean min) {
        long timeout = ListCommands.timeout(a[a.length - 1]);
        List<byte[]> keys = Arrays.asList(a).subList(1, a.length - 1);
        BlockingPop.serveOrBlock(keyspace, blocking, c, keys, timeout, (db, key) -> {
            ZSetValue z = typed(db, key, ZSetValue.class, true);
            if (z == null) {
                return false;
            }
            bpopReply(c, db, key, z, min);
            return true;
        }, () -> c.reply().nullArray());
    }

    private void bpopReply(Client c, Database db, byte[] key, ZSetValue z, boolean min) {
        Entry e = popEntries(c, db, key, z, min, 1).get(0);
        RespWriter r = c.reply();
        r.array(3);
        r.bulk(key);
        r.bulk(e.member());
        r.dbl(e.score());
    }

    // ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]; BZMPOP timeout numkeys ...
    private void mpop(Client c, byte[][] a, int numkeysAt, long timeoutMillis) {
        BlockingPop.MultiPop args = BlockingPop.MultiPop.parse(a, numkeysAt, "MIN", "MAX");
        BlockingPop.serveOrBlock(keyspace, blocking, c, args.keys(), timeoutMillis, (db, key) -> {
            ZSetValue z = typed(db, key, ZSetValue.class, true);
            if (z == null) {
                return false;
            }
            mpopReply(c, db, key, z, args.first(), args.count());
            return true;
        }, () -> c.reply().nullArray());
    }

    private void mpopReply(Client c, Database db, byte[] key, ZSetValue z, boolean min, long count) {
        List<Entry> popped = popEntries(c, db, key, z, min, count);
        RespWriter r = c.reply();
        r.array(2);
        r.bulk(key);
        r.array(popped.size());
        for (Entry e : popped) {
            r.array(2);
            r.bulk(e.member());
            r.dbl(e.score());
        }
    }

    // ---------------------------------------------------------------- ZUNION / ZINTER / ZDIFF

    enum SetOp { UNION, INTER, DIFF }

    /** A source: a sorted set, or a plain set whose members score 1. */
    private List<Entry> source(Database db, byte[] key, boolean write) {
        Object v = write ? db.getForWrite(key) : db.get(key);
        if (v == null) {
            return null;
        }
        List<Entry> out = new ArrayList<>();
        if (v instanceof ZSetValue z) {
            z.forEach(out::add);
        } else if (v instanceof SetValue s) {
            s.forEach(m -> out.add(new Entry(m, 1.0)));
        } else {
            throw Errors.wrongType();
        }
        return out;
    }

    // Z{UNION,INTER,DIFF} numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
    // and the STORE forms with a destination first.
    private void combine(Client c, byte[][] a, SetOp op, boolean store) {
        int numkeysAt = store ? 2 : 1;
        String name = (op == SetOp.UNION ? "zunion" : op == SetOp.INTER ? "zinter" : "zdiff") + (store ? "store" : "");
        long numkeys = Args.integer(a[numkeysAt]);
        if (numkeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (numkeys > a.length - numkeysAt - 1) {
            throw Errors.syntax();
        }
        int firstKey = numkeysAt + 1;
        int end = (int) (firstKey + numkeys);
        double[] weights = new double[(int) numkeys];
        Arrays.fill(weights, 1.0);
        String aggregate = "SUM";
        boolean withScores = false;
        for (int i = end; i < a.length; i++) {
            int left = a.length - i - 1;
            if (op != SetOp.DIFF && Args.is(a[i], "WEIGHTS") && left >= numkeys) {
                for (int k = 0; k < numkeys; k++) {
                    Double w = DoubleFormat.parse(a[i + 1 + k]);
                    if (w == null || w.isNaN()) {
                        throw new CommandError("ERR weight value is not a float");
                    }
                    weights[k] = w;
                }
                i += (int) numkeys;
            } else if (op != SetOp.DIFF && Args.is(a[i], "AGGREGATE") && left >= 1) {
                byte[] agg = a[++i];
                if (Args.is(agg, "SUM") || Args.is(agg, "MIN") || Args.is(agg, "MAX")) {
                    aggregate = new String(agg).toUpperCase(java.util.Locale.ROOT);
                } else {
                    throw Errors.syntax();
                }
            } else if (!store && Args.is(a[i], "WITHSCORES")) {
                withScores = true;
            } else {
                throw Errors.syntax();
            }
        }
        Database db = db(c);
        List<List<Entry>> sources = new ArrayList<>();
        for (int i = firstKey; i < end; i++) {
            sources.add(source(db, a[i], store));
        }
        List<Entry> result = compute(sources, weights, aggregate, op);
        if (store) {
            store(c, db, a[1], result, name);
            c.reply().integer(result.size());
            return;
        }
        replyEntries(c.reply(), result, withScores);
    }

    private static List<Entry> compute(List<List<Entry>> sources, double[] weights, String aggregate, SetOp op) {
        Map<BinaryKey, Double> acc = new LinkedHashMap<>();
        if (op == SetOp.DIFF) {
            if (sources.get(0) != null) {
                for (Entry e : sources.get(0)) {
                    acc.put(new BinaryKey(e.member()), e.score());
                }
                for (int i = 1; i < sources.size(); i++) {
                    if (sources.get(i) != null) {
                        for (Entry e : sources.get(i)) {
                            acc.remove(new BinaryKey(e.member()));
                        }
                    }
                }
            }
        } else if (op == SetOp.UNION) {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i) == null) {
                    continue;
                }
                for (Entry e : sources.get(i)) {
                    double s = weighted(e.score(), weights[i]);
                    acc.merge(new BinaryKey(e.member()), s, (x, y) -> aggregate(x, y, aggregate));
                }
            }
        } else {
            if (sources.stream().anyMatch(java.util.Objects::isNull)) {
                return List.of();
            }
            Map<BinaryKey, Double> first = new LinkedHashMap<>();
            for (Entry e : sources.get(0)) {
                first.put(new BinaryKey(e.member()), weighted(e.score(), weights[0]));
            }
            for (int i = 1; i < sources.size(); i++) {
                Map<BinaryKey, Double> next = new LinkedHashMap<>();
                Map<BinaryKey, Double> other = new java.util.HashMap<>();
                for (Entry e : sources.get(i)) {
                    other.put(new BinaryKey(e.member()), weighted(e.score(), weights[i]));
                }
                for (Map.Entry<BinaryKey, Double> m : first.entrySet()) {
                    Double o = other.get(m.getKey());
                    if (o != null) {
                        next.put(m.getKey(), aggregate(m.getValue(), o, aggregate));
                    }
                }
                first = next;
            }
            acc = first;
        }
        List<Entry> out = new ArrayList<>(acc.size());
        acc.forEach((k, s) -> out.add(new Entry(k.bytes(), s)));
        out.sort((x, y) -> {
            int cmp = Double.compare(x.score(), y.score());
            if (x.score() == y.score()) {
                cmp = 0;
            }
            return cmp != 0 ? cmp : Arrays.compareUnsigned(x.member(), y.member());
        });
        return out;
    }

    private static double weighted(double score, double weight) {
        double s = score * weight;
        return Double.isNaN(s) ? 0 : s;
    }

    private static double aggregate(double x, double y, String how) {
        return switch (how) {
            case "MIN" -> Math.min(x, y);
            case "MAX" -> Math.max(x, y);
            default -> {
                double s = x + y;
                yield Double.isNaN(s) ? 0 : s;
            }
        };
    }

    // ZINTERCARD numkeys key [key ...] [LIMIT limit]
    private void zintercard(Client c, byte[][] a) {
        long numkeys = Args.integer(a[1]);
        if (numkeys <= 0) {
            throw new CommandError("ERR at least 1 input key is needed for 'zintercard' command");
        }
        if (numkeys > a.length - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        int end = (int) (2 + numkeys);
        long limit = 0;
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
        Database db = db(c);
        List<List<Entry>> sources = new ArrayList<>();
        for (int i = 2; i < end; i++) {
            sources.add(source(db, a[i], false));
        }
        double[] weights = new double[(int) numkeys];
        Arrays.fill(weights, 1.0);
        long n = compute(sources, weights, "SUM", SetOp.INTER).size();
        c.reply().integer(limit > 0 ? Math.min(n, limit) : n);
    }

    // ZRANDMEMBER key [count [WITHSCORES]]
    private void zrandmember(Client c, byte[][] a) {
        if (a.length > 4 || a.length == 4 && !Args.is(a[3], "WITHSCORES")) {
            throw Errors.syntax();
        }
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        RespWriter r = c.reply();
        if (a.length == 2) {
            r.bulk(z == null ? null : z.random(ThreadLocalRandom.current()).member());
            return;
        }
        long count = Args.integer(a[2]);
        if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
            throw new CommandError("ERR value is out of range");
        }
        boolean withScores = a.length == 4;
        if (z == null || count == 0) {
            r.emptyArray();
            return;
        }
        List<Entry> picks = new ArrayList<>();
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                picks.add(z.random(ThreadLocalRandom.current()));
            }
        } else {
            List<Entry> all = z.range(0, (int) z.size() - 1, false);
            java.util.Collections.shuffle(all, ThreadLocalRandom.current());
            picks = all.subList(0, (int) Math.min(count, all.size()));
        }
        replyEntries(r, picks, withScores);
    }

    private void zscan(Client c, byte[][] a) {
        long cursor = KeyCommands.parseCursor(a[2]);
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        ScanArgs args = ScanArgs.parse(a, 3);
        List<byte[]> out = new ArrayList<>();
        long next = 0;
        if (z != null) {
            List<Entry> found = new ArrayList<>();
            long budget = args.count * 10;
            do {
                cursor = z.scan(cursor, found::add);
            } while (cursor != 0 && budget-- > 0 && found.size() < args.count);
            next = cursor;
            for (Entry e : found) {
                if (args.pattern == null || Glob.matches(args.pattern, e.member(), false)) {
                    out.add(e.member());
                    out.add(DoubleFormat.g17(e.score()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
        }
        args.reply(c.reply(), next, out);
    }
}
