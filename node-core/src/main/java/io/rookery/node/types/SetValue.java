package io.rookery.node.types;

import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import io.rookery.protocol.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A set. While every member is a canonical 64-bit integer and there are at most
 * {@code set-max-intset-entries}, members are a sorted {@code long[]} ("intset", iterated in
 * ascending order as Redis's intset is); otherwise a table of members ("hashtable"), for good.
 */
public final class SetValue extends AccountedValue {
    private long[] ints = new long[0];
    private int intCount;
    private Dict table;
    private long tableBytes;

    public SetValue(TypeContext ctx) {
        super(ctx);
        account();
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return table == null ? "intset" : "hashtable";
    }

    @Override
    public long size() {
        return table == null ? intCount : table.size();
    }

    @Override
    protected long computeBytes() {
        return 32 + (table == null ? 16L + ints.length * 8L : tableBytes + 16L + table.buckets() * 4L);
    }

    private static boolean isInt(byte[] m) {
        return m.length <= 20 && Numbers.isLong(m);
    }

    public boolean contains(byte[] member) {
        if (table != null) {
            return table.get(member) != null;
        }
        return isInt(member) && Arrays.binarySearch(ints, 0, intCount, Numbers.parseLong(member)) >= 0;
    }

    public boolean add(byte[] member) {
        boolean added;
        if (table == null && !isInt(member)) {
            convert();
        }
        if (table == null) {
            long v = Numbers.parseLong(member);
            int i = Arrays.binarySearch(ints, 0, intCount, v);
            if (i >= 0) {
                added = false;
            } else {
                int at = -i - 1;
                if (intCount == ints.length) {
                    ints = Arrays.copyOf(ints, Math.max(4, intCount + (intCount >> 1)));
                }
                System.arraycopy(ints, at, ints, at + 1, intCount - at);
                ints[at] = v;
                intCount++;
                added = true;
                if (intCount > ctx.config().setMaxIntsetEntries) {
                    convert();
                }
            }
        } else {
            int h = Dict.hash(member);
            added = table.get(member, h) == null;
            if (added) {
                table.add(member, h, null);
                tableBytes += MemoryEstimate.ENTRY + MemoryEstimate.array(member.length);
            }
        }
        account();
        return added;
    }

    public boolean remove(byte[] member) {
        boolean removed = false;
        if (table == null) {
            if (isInt(member)) {
                int i = Arrays.binarySearch(ints, 0, intCount, Numbers.parseLong(member));
                if (i >= 0) {
                    System.arraycopy(ints, i + 1, ints, i, intCount - i - 1);
                    intCount--;
                    removed = true;
                    if (ints.length > 16 && intCount < ints.length / 4) {
                        ints = Arrays.copyOf(ints, intCount * 2);
                    }
                }
            }
        } else {
            Dict.Entry e = table.remove(member);
            if (e != null) {
                tableBytes -= MemoryEstimate.ENTRY + MemoryEstimate.array(member.length);
                removed = true;
            }
        }
        account();
        return removed;
    }

    private void convert() {
        Dict t = new Dict();
        long bytes = 0;
        for (int i = 0; i < intCount; i++) {
            byte[] m = Numbers.toBytes(ints[i]);
            t.add(m, null);
            bytes += MemoryEstimate.ENTRY + MemoryEstimate.array(m.length);
        }
        table = t;
        tableBytes = bytes;
        ints = null;
        intCount = 0;
    }

    /**
     * Prepares for {@code members} members about to be added (RESTORE and RDB loading know the count):
     * a set that will not fit an intset becomes a table sized for all of them at once.
     */
    public void reserve(long members) {
        if (members > ctx.config().setMaxIntsetEntries) {
            if (table == null) {
                convert();
            }
            table.expand((int) Math.min(members, 1 << 30));
            account();
        }
    }

    public void forEach(Consumer<byte[]> visitor) {
        if (table != null) {
            table.forEach(e -> visitor.accept(e.key()));
        } else {
            for (int i = 0; i < intCount; i++) {
                visitor.accept(Numbers.toBytes(ints[i]));
            }
        }
    }

    public List<byte[]> members() {
        List<byte[]> out = new ArrayList<>((int) size());
        forEach(out::add);
        return out;
    }

    public byte[] random(Random rnd) {
        if (table != null) {
            return table.fairRandomEntry().key();
        }
        return Numbers.toBytes(ints[rnd.nextInt(intCount)]);
    }

    public long scan(long cursor, Consumer<byte[]> visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, e -> visitor.accept(e.key()));
    }

    @Override
    public TypedValue copy() {
        SetValue s = new SetValue(ctx);
        forEach(s::add);
        return s;
    }
}
