package io.rookery.node.types;

import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A sorted set, ordered by (score, member bytes). Small sets are one {@link Packed} of sorted
 * member/score pairs ("listpack"); above {@code zset-max-listpack-entries} members or
 * {@code zset-max-listpack-value} bytes a skiplist plus a member table ("skiplist").
 *
 * <p>Every range operation is expressed in ranks (0-based positions in ascending order), so the
 * commands reduce score and lex ranges to rank ranges with {@link #countScoreBefore} and
 * {@link #countLexBefore}.
 */
public final class ZSetValue extends AccountedValue {

    /** A member with its score. */
    public record Entry(byte[] member, double score) {
    }

    /** One end of a lex range: "-", "+", "[value" or "(value". */
    public record LexBound(byte[] value, boolean inclusive, int kind) {
        public static final int MIN = -1, VALUE = 0, MAX = 1;
    }

    private Packed packed = new Packed();
    private ZSkipList list;
    private Dict dict;
    private long skipBytes;

    public ZSetValue(TypeContext ctx) {
        super(ctx);
        account();
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return list == null ? "listpack" : "skiplist";
    }

    @Override
    public long size() {
        return list == null ? packed.count() / 2 : list.length;
    }

    @Override
    protected long computeBytes() {
        return 32 + (list == null ? packed.bytes() : skipBytes + 16L + dict.buckets() * 4L);
    }

    private static long nodeBytes(ZSkipList.Node n) {
        return 40 + (16 + 4L * n.forward.length) + (16 + 4L * n.span.length) + MemoryEstimate.ENTRY
                + MemoryEstimate.array(n.ele.length);
    }

    public Double score(byte[] member) {
        if (list != null) {
            Dict.Entry e = dict.get(member);
            return e == null ? null : ((ZSkipList.Node) e.value()).score;
        }
        int pos = packed.find(member, 2);
        return pos == Packed.END ? null : packed.getDouble(packed.next(pos));
    }

    /** Adds or re-scores {@code member}; true when it was added. */
    public boolean put(byte[] member, double score) {
        if (list == null && (member.length > ctx.config().zsetMaxListpackValue)) {
            convert();
        }
        boolean added;
        if (list == null) {
            int pos = packed.find(member, 2);
            added = pos == Packed.END;
            if (!added) {
                packed.remove(pos, 2);
            }
            int at = packed.first();
            while (at != Packed.END) {
                int scorePos = packed.next(at);
                double s = packed.getDouble(scorePos);
                if (ZSkipList.compare(s, packed.get(at), score, member) > 0) {
                    break;
                }
                at = packed.next(scorePos);
            }
            if (at == Packed.END) {
                at = packed.endOffset();
            }
            packed.insert(at, Packed.doubleBytes(score)); // then the member before it: member, score
            packed.insert(at, member);
            if (packed.count() / 2 > ctx.config().zsetMaxListpackEntries) {
                convert();
            }
        } else {
            Dict.Entry e = dict.get(member);
            added = e == null;
            if (!added) {
                ZSkipList.Node old = (ZSkipList.Node) e.value();
                if (old.score == score) {
                    account();
                    return false;
                }
                list.delete(old.score, old.ele);
                skipBytes -= nodeBytes(old);
                ZSkipList.Node n = list.insert(score, old.ele);
                skipBytes += nodeBytes(n);
                e.value(n);
            } else {
                ZSkipList.Node n = list.insert(score, member);
                dict.add(member, n);
                skipBytes += nodeBytes(n);
            }
        }
        account();
        return added;
    }

    public boolean remove(byte[] member) {
        boolean removed;
        if (list == null) {
            int pos = packed.find(member, 2);
            removed = pos != Packed.END;
            if (removed) {
                packed.remove(pos, 2);
            }
        } else {
            Dict.Entry e = dict.remove(member);
            removed = e != null;
            if (removed) {
                ZSkipList.Node n = (ZSkipList.Node) e.value();
                list.delete(n.score, n.ele);
                skipBytes -= nodeBytes(n);
            }
        }
        account();
        return removed;
    }

    private void convert() {
        ZSkipList l = new ZSkipList();
        Dict d = new Dict();
        long bytes = 0;
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            byte[] m = packed.get(pos);
            ZSkipList.Node n = l.insert(packed.getDouble(packed.next(pos)), m);
            d.add(m, n);
            bytes += nodeBytes(n);
        }
        list = l;
        dict = d;
        skipBytes = bytes;
        packed = null;
    }

    /** 0-based ascending rank of {@code member}, or -1. */
    public int rank(byte[] member) {
        if (list != null) {
            Dict.Entry e = dict.get(member);
            if (e == null) {
                return -1;
            }
            ZSkipList.Node n = (ZSkipList.Node) e.value();
            return list.rank(n.score, n.ele);
        }
        int r = 0;
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2), r++) {
            if (packed.equalsAt(pos, member)) {
                return r;
            }
        }
        return -1;
    }

    /** Entries with ranks {@code from..to} inclusive (clamped by the caller), ascending, or descending when {@code reverse}. */
    public List<Entry> range(int from, int to, boolean reverse) {
        List<Entry> out = new ArrayList<>(Math.max(0, to - from + 1));
        if (from > to) {
            return out;
        }
        if (list != null) {
            if (!reverse) {
                ZSkipList.Node n = list.at(from);
                for (int i = from; i <= to && n != null; i++, n = n.forward[0]) {
                    out.add(new Entry(n.ele, n.score));
                }
            } else {
                ZSkipList.Node n = list.at(to);
                for (int i = to; i >= from && n != null; i--, n = n.backward) {
                    out.add(new Entry(n.ele, n.score));
                }
            }
            return out;
        }
        int pos = packed.at(from * 2);
        for (int i = from; i <= to && pos != Packed.END; i++) {
            int scorePos = packed.next(pos);
            out.add(new Entry(packed.get(pos), packed.getDouble(scorePos)));
            pos = packed.next(scorePos);
        }
        if (reverse) {
            java.util.Collections.reverse(out);
        }
        return out;
    }

    public Entry at(int rank) {
        List<Entry> one = range(rank, rank, false);
        return one.isEmpty() ? null : one.get(0);
    }

    /** How many members score below {@code bound} (or at most {@code bound} when {@code inclusiveBelow}). */
    public int countScoreBefore(double bound, boolean inclusiveBelow) {
        if (list != null) {
            return list.countScoreBefore(bound, inclusiveBelow);
        }
        int r = 0;
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            double s = packed.getDouble(packed.next(pos));
            if (inclusiveBelow ? s <= bound : s < bound) {
                r++;
            } else {
                break;
            }
        }
        return r;
    }

    /**
     * How many members sort before the range that starts at {@code bound}; with {@code asMax} the
     * bound is the range's end and the count is of members not after it.
     */
    public int countLexBefore(LexBound bound, boolean asMax) {
        if (bound.kind() == LexBound.MIN) {
            return 0;
        }
        if (bound.kind() == LexBound.MAX) {
            return (int) size();
        }
        boolean takeEqual = asMax ? bound.inclusive() : !bound.inclusive();
        byte[] v = bound.value();
        if (list != null) {
            return list.countBefore(n -> {
                int c = Arrays.compareUnsigned(n.ele, v);
                return takeEqual ? c <= 0 : c < 0;
            });
        }
        int r = 0;
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            int c = packed.compareAt(pos, v);
            if (takeEqual ? c <= 0 : c < 0) {
                r++;
            } else {
                break;
            }
        }
        return r;
    }

    /** Removes ranks {@code from..to} inclusive; returns how many. */
    public int removeRange(int from, int to) {
        if (from > to) {
            return 0;
        }
        List<Entry> doomed = range(from, to, false);
        for (Entry e : doomed) {
            remove(e.member());
        }
        return doomed.size();
    }

    public void forEach(Consumer<Entry> visitor) {
        if (list != null) {
            for (ZSkipList.Node n = list.header.forward[0]; n != null; n = n.forward[0]) {
                visitor.accept(new Entry(n.ele, n.score));
            }
            return;
        }
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            visitor.accept(new Entry(packed.get(pos), packed.getDouble(packed.next(pos))));
        }
    }

    public Entry random(Random rnd) {
        return at(rnd.nextInt((int) size()));
    }

    public long scan(long cursor, Consumer<Entry> visitor) {
        if (list == null) {
            forEach(visitor);
            return 0;
        }
        return dict.scan(cursor, e -> {
            ZSkipList.Node n = (ZSkipList.Node) e.value();
            visitor.accept(new Entry(n.ele, n.score));
        });
    }

    @Override
    public TypedValue copy() {
        ZSetValue z = new ZSetValue(ctx);
        forEach(e -> z.put(e.member(), e.score()));
        return z;
    }
}
