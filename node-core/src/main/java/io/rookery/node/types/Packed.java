package io.rookery.node.types;

import java.util.Arrays;

/**
 * A listpack-like sequence of binary entries in one byte array, for small collections: every entry
 * is a length (LEB128 varint) followed by its bytes, so a whole small hash or sorted set costs one
 * object and its bytes. Access is a linear walk, which for the small sizes it is used at (Redis's
 * listpack thresholds) is as fast as a table and far smaller.
 *
 * <pre>
 * packed = *entry
 * entry  = varint(length) bytes
 * </pre>
 * Positions are byte offsets of entries; {@link #END} marks "no entry".
 */
public final class Packed {
    public static final int END = -1;
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int used;
    private int count;

    public int count() {
        return count;
    }

    /** Bytes held (the array's capacity plus its header), for memory accounting. */
    public long bytes() {
        return 16L + buf.length;
    }

    public int first() {
        return count == 0 ? END : 0;
    }

    public int next(int pos) {
        int n = pos + sizeOfLength(pos) + length(pos);
        return n >= used ? END : n;
    }

    /** The position {@code steps} entries after {@code pos}. */
    public int skip(int pos, int steps) {
        for (int i = 0; i < steps && pos != END; i++) {
            pos = next(pos);
        }
        return pos;
    }

    /** The position of the entry with index {@code index} (0-based), or END. */
    public int at(int index) {
        return index < 0 || index >= count ? END : skip(0, index);
    }

    public int length(int pos) {
        int len = 0;
        int shift = 0;
        int b;
        do {
            b = buf[pos++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len;
    }

    private int sizeOfLength(int pos) {
        int n = 1;
        while ((buf[pos++] & 0x80) != 0) {
            n++;
        }
        return n;
    }

    private static int varintSize(int len) {
        int n = 1;
        while (len >= 0x80) {
            len >>>= 7;
            n++;
        }
        return n;
    }

    public int dataStart(int pos) {
        return pos + sizeOfLength(pos);
    }

    public byte[] get(int pos) {
        int start = dataStart(pos);
        return Arrays.copyOfRange(buf, start, start + length(pos));
    }

    /** The entry's bytes read as a long (8 bytes, big-endian), for numbers stored raw. */
    public long getLong(int pos) {
        int p = dataStart(pos);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[p + i] & 0xff);
        }
        return v;
    }

    public double getDouble(int pos) {
        return Double.longBitsToDouble(getLong(pos));
    }

    public boolean equalsAt(int pos, byte[] v) {
        int len = length(pos);
        if (len != v.length) {
            return false;
        }
        int start = dataStart(pos);
        return Arrays.equals(buf, start, start + len, v, 0, len);
    }

    /** Compares the entry with {@code v} as unsigned bytes, as memcmp-based ordering in Redis. */
    public int compareAt(int pos, byte[] v) {
        int start = dataStart(pos);
        return Arrays.compareUnsigned(buf, start, start + length(pos), v, 0, v.length);
    }

    /** The first entry equal to {@code v} among every {@code step}-th entry from the start, or END. */
    public int find(byte[] v, int step) {
        for (int pos = first(); pos != END; pos = skip(pos, step)) {
            if (equalsAt(pos, v)) {
                return pos;
            }
        }
        return END;
    }

    /** The offset just past the last entry: where an append inserts. */
    public int endOffset() {
        return used;
    }

    public void append(byte[] v) {
        insert(used, v);
    }

    /** Inserts before the entry at {@code pos} ({@code used}, or END, appends). */
    public void insert(int pos, byte[] v) {
        if (pos == END) {
            pos = used;
        }
        int need = varintSize(v.length) + v.length;
        ensure(used + need);
        System.arraycopy(buf, pos, buf, pos + need, used - pos);
        int p = writeVarint(pos, v.length);
        System.arraycopy(v, 0, buf, p, v.length);
        used += need;
        count++;
    }

    public static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    public static byte[] doubleBytes(double d) {
        return longBytes(Double.doubleToRawLongBits(d));
    }

    /** Replaces the entry at {@code pos}; returns the position of the replacement (the same). */
    public int replace(int pos, byte[] v) {
        int oldSize = sizeOfLength(pos) + length(pos);
        int newSize = varintSize(v.length) + v.length;
        if (newSize != oldSize) {
            ensure(used - oldSize + newSize);
            System.arraycopy(buf, pos + oldSize, buf, pos + newSize, used - pos - oldSize);
            used += newSize - oldSize;
        }
        int p = writeVarint(pos, v.length);
        System.arraycopy(v, 0, buf, p, v.length);
        return pos;
    }

    /** Removes {@code n} entries starting at {@code pos}. */
    public void remove(int pos, int n) {
        int end = pos;
        int removed = 0;
        while (removed < n && end != END && end < used) {
            end = end + sizeOfLength(end) + length(end);
            removed++;
        }
        System.arraycopy(buf, end, buf, pos, used - end);
        used -= end - pos;
        count -= removed;
        if (buf.length > 64 && used < buf.length / 2) {
            buf = Arrays.copyOf(buf, used + used / 8);
        }
    }

    public Packed copy() {
        Packed p = new Packed();
        p.buf = Arrays.copyOf(buf, used);
        p.used = used;
        p.count = count;
        return p;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, used + (used >> 3) + 16));
        }
    }

    private int writeVarint(int p, int len) {
        while (len >= 0x80) {
            buf[p++] = (byte) ((len & 0x7f) | 0x80);
            len >>>= 7;
        }
        buf[p++] = (byte) len;
        return p;
    }
}
