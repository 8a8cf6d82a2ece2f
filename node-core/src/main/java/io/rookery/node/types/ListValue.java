package io.rookery.node.types;

import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.keyspace.ValueType;
import java.util.Arrays;

/**
 * A list: a circular array of elements, so pushes and pops at both ends are O(1) and LINDEX/LSET are
 * O(1) too. OBJECT ENCODING reports "quicklist", as Redis 7.0 does for every list.
 */
public final class ListValue extends AccountedValue {
    private static final byte[][] EMPTY = new byte[0][];
    private byte[][] items = EMPTY;
    private int head;
    private int size;
    private long elementBytes;

    public ListValue(TypeContext ctx) {
        super(ctx);
        account();
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    protected long computeBytes() {
        return 32 + 16 + items.length * 4L + elementBytes;
    }

    public byte[] get(long index) {
        return items[slot((int) index)];
    }

    public void set(long index, byte[] v) {
        int s = slot((int) index);
        elementBytes += MemoryEstimate.array(v.length) - MemoryEstimate.array(items[s].length);
        items[s] = v;
        account();
    }

    private int slot(int index) {
        int s = head + index;
        return s >= items.length ? s - items.length : s;
    }

    private void grow() {
        if (size < items.length) {
            return;
        }
        int cap = Math.max(4, items.length + (items.length >> 1));
        byte[][] n = new byte[cap][];
        for (int i = 0; i < size; i++) {
            n[i] = items[slot(i)];
        }
        items = n;
        head = 0;
    }

    private void shrink() {
        if (items.length > 16 && size < items.length / 4) {
            byte[][] n = new byte[Math.max(4, size * 2)][];
            for (int i = 0; i < size; i++) {
                n[i] = items[slot(i)];
            }
            items = n;
            head = 0;
        }
    }

    public void pushHead(byte[] v) {
        grow();
        head = head == 0 ? items.length - 1 : head - 1;
        items[head] = v;
        size++;
        elementBytes += MemoryEstimate.array(v.length);
        account();
    }

    public void pushTail(byte[] v) {
        grow();
        items[slot(size)] = v;
        size++;
        elementBytes += MemoryEstimate.array(v.length);
        account();
    }

    public byte[] popHead() {
        byte[] v = items[head];
        items[head] = null;
        head = head + 1 == items.length ? 0 : head + 1;
        size--;
        elementBytes -= MemoryEstimate.array(v.length);
        shrink();
        account();
        return v;
    }

    public byte[] popTail() {
        int s = slot(size - 1);
        byte[] v = items[s];
        items[s] = null;
        size--;
        elementBytes -= MemoryEstimate.array(v.length);
        shrink();
        account();
        return v;
    }

    /** Inserts {@code v} so that it becomes element {@code index} (0..size). */
    public void insert(int index, byte[] v) {
        byte[][] all = toArray();
        byte[][] n = new byte[Math.max(4, size + 1 + (size >> 1))][];
        System.arraycopy(all, 0, n, 0, index);
        n[index] = v;
        System.arraycopy(all, index, n, index + 1, size - index);
        items = n;
        head = 0;
        size++;
        elementBytes += MemoryEstimate.array(v.length);
        account();
    }

    /** Keeps only elements whose {@code keep[i]} is true. */
    public void retain(boolean[] keep) {
        byte[][] n = new byte[Math.max(4, size)][];
        int j = 0;
        long bytes = 0;
        for (int i = 0; i < size; i++) {
            byte[] e = items[slot(i)];
            if (keep[i]) {
                n[j++] = e;
                bytes += MemoryEstimate.array(e.length);
            }
        }
        items = n;
        head = 0;
        size = j;
        elementBytes = bytes;
        shrink();
        account();
    }

    /** Keeps elements start..end inclusive (already clamped, start &lt;= end), as LTRIM. */
    public void trim(int start, int end) {
        byte[][] n = new byte[Math.max(4, end - start + 1)][];
        long bytes = 0;
        for (int i = start; i <= end; i++) {
            n[i - start] = items[slot(i)];
            bytes += MemoryEstimate.array(n[i - start].length);
        }
        items = n;
        head = 0;
        size = end - start + 1;
        elementBytes = bytes;
        account();
    }

    public byte[][] toArray() {
        byte[][] out = new byte[size][];
        for (int i = 0; i < size; i++) {
            out[i] = items[slot(i)];
        }
        return out;
    }

    @Override
    public TypedValue copy() {
        ListValue l = new ListValue(ctx);
        for (int i = 0; i < size; i++) {
            l.pushTail(items[slot(i)]);
        }
        return l;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(toArray());
    }
}
