package io.rookery.node.types;

import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import java.util.function.BiConsumer;

/**
 * A hash: field → value. Small hashes are one {@link Packed} of alternating fields and values
 * ("listpack"); a hash with more than {@code hash-max-listpack-entries} fields, or a field or value
 * longer than {@code hash-max-listpack-value}, becomes a table ("hashtable") for good.
 */
public final class HashValue extends AccountedValue {
    private Packed packed = new Packed();
    private Dict table;
    private long tableBytes;

    public HashValue(TypeContext ctx) {
        super(ctx);
        account();
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return table == null ? "listpack" : "hashtable";
    }

    @Override
    public long size() {
        return table == null ? packed.count() / 2 : table.size();
    }

    @Override
    protected long computeBytes() {
        return 32 + (table == null ? packed.bytes() : tableBytes + 16L + table.buckets() * 4L);
    }

    public byte[] get(byte[] field) {
        if (table != null) {
            Dict.Entry e = table.get(field);
            return e == null ? null : (byte[]) e.value();
        }
        int pos = packed.find(field, 2);
        return pos == Packed.END ? null : packed.get(packed.next(pos));
    }

    public boolean contains(byte[] field) {
        return table != null ? table.get(field) != null : packed.find(field, 2) != Packed.END;
    }

    /** Sets a field; returns true when the field is new. */
    public boolean put(byte[] field, byte[] value) {
        boolean created;
        if (table == null && (field.length > ctx.config().hashMaxListpackValue || value.length > ctx.config().hashMaxListpackValue)) {
            convert();
        }
        if (table == null) {
            int pos = packed.find(field, 2);
            if (pos != Packed.END) {
                packed.replace(packed.next(pos), value);
                created = false;
            } else {
                packed.append(field);
                packed.append(value);
                created = true;
                if (packed.count() / 2 > ctx.config().hashMaxListpackEntries) {
                    convert();
                }
            }
        } else {
            int h = Dict.hash(field);
            Dict.Entry e = table.get(field, h);
            if (e != null) {
                tableBytes += MemoryEstimate.array(value.length) - MemoryEstimate.array(((byte[]) e.value()).length);
                e.value(value);
                created = false;
            } else {
                table.add(field, h, value);
                tableBytes += entryBytes(field, value);
                created = true;
            }
        }
        account();
        return created;
    }

    /**
     * Prepares for {@code fields} fields about to be added (RESTORE and RDB loading know the count):
     * a hash that will not fit a listpack becomes a table sized for all of them at once.
     */
    public void reserve(long fields) {
        if (fields > ctx.config().hashMaxListpackEntries) {
            if (table == null) {
                convert();
            }
            table.expand((int) Math.min(fields, 1 << 30));
            account();
        }
    }

    public boolean remove(byte[] field) {
        boolean removed;
        if (table == null) {
            int pos = packed.find(field, 2);
            removed = pos != Packed.END;
            if (removed) {
                packed.remove(pos, 2);
            }
        } else {
            Dict.Entry e = table.remove(field);
            removed = e != null;
            if (removed) {
                tableBytes -= entryBytes(e.key(), (byte[]) e.value());
            }
        }
        account();
        return removed;
    }

    private static long entryBytes(byte[] field, byte[] value) {
        return MemoryEstimate.ENTRY + MemoryEstimate.array(field.length) + MemoryEstimate.array(value.length);
    }

    private void convert() {
        Dict t = new Dict();
        long bytes = 0;
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            byte[] f = packed.get(pos);
            byte[] v = packed.get(packed.next(pos));
            t.add(f, v);
            bytes += entryBytes(f, v);
        }
        table = t;
        tableBytes = bytes;
        packed = null;
    }

    /** Visits every field and value, in storage order. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        if (table != null) {
            table.forEach(e -> visitor.accept(e.key(), (byte[]) e.value()));
            return;
        }
        for (int pos = packed.first(); pos != Packed.END; pos = packed.skip(pos, 2)) {
            visitor.accept(packed.get(pos), packed.get(packed.next(pos)));
        }
    }

    /** The field/value pair at a random position: {field, value}. */
    public byte[][] random(java.util.Random rnd) {
        if (table != null) {
            Dict.Entry e = table.fairRandomEntry();
            return new byte[][]{e.key(), (byte[]) e.value()};
        }
        int pos = packed.at(rnd.nextInt(packed.count() / 2) * 2);
        return new byte[][]{packed.get(pos), packed.get(packed.next(pos))};
    }

    /** Pairs in storage order: [f0, v0, f1, v1, ...]. */
    public java.util.List<byte[]> pairs() {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        forEach((f, v) -> {
            out.add(f);
            out.add(v);
        });
        return out;
    }

    /** One HSCAN step: a listpack returns everything with cursor 0, a table scans by buckets. */
    public long scan(long cursor, BiConsumer<byte[], byte[]> visitor) {
        if (table == null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, e -> visitor.accept(e.key(), (byte[]) e.value()));
    }

    public boolean isCompact() {
        return table == null;
    }

    @Override
    public TypedValue copy() {
        HashValue h = new HashValue(ctx);
        forEach(h::put);
        return h;
    }
}
