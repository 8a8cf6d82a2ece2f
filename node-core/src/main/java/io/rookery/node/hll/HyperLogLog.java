package io.rookery.node.hll;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis's string representation (hyperloglog.c), byte for byte, so a value written
 * by Redis counts the same here and ours can be read by Redis.
 *
 * <p>Format: a 16-byte header — "HYLL", encoding (0 dense, 1 sparse), three zero bytes, the cached
 * cardinality as 8 bytes little-endian whose top bit set means "stale" — then the registers:
 * <ul>
 *   <li>dense: 16384 registers of 6 bits, packed from the least significant bit of each byte (12288 bytes);
 *   <li>sparse: run-length opcodes — ZERO {@code 00xxxxxx} (1..64 zero registers), XZERO
 *       {@code 01xxxxxx xxxxxxxx} (1..16384 zero registers), VAL {@code 1vvvvvxx} (1..4 registers of
 *       value 1..32).
 * </ul>
 * A sparse HLL turns dense when a register needs a value above 32 or when it would grow past
 * {@code hll-sparse-max-bytes}.
 *
 * <p>An instance is a mutable working copy of a stored value: the caller reads it with {@link #of},
 * changes it and stores {@link #toBytes()}.
 */
public final class HyperLogLog {
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    static final int P = 14;
    static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    static final int REGISTER_MAX = 63;
    public static final int HEADER = 16;
    public static final int DENSE_SIZE = HEADER + (REGISTERS * 6 + 7) / 8;
    private static final int VAL_MAX_VALUE = 32;
    private static final int VAL_MAX_LEN = 4;
    private static final int ZERO_MAX_LEN = 64;
    private static final int XZERO_MAX_LEN = 16384;
    private static final double ALPHA_INF = 0.721347520444481703680;
    private static final int SEED = 0xadc83b19;

    private byte[] buf; // at least len + 4 bytes: C reads one byte past the end (the sds terminator)
    private int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A new, empty HLL: sparse, one XZERO opcode covering every register (createHLLObject). */
    public static HyperLogLog empty() {
        int sparseLen = HEADER + ((REGISTERS + (XZERO_MAX_LEN - 1)) / XZERO_MAX_LEN) * 2;
        HyperLogLog h = new HyperLogLog(new byte[sparseLen + 8], sparseLen);
        h.buf[0] = 'H';
        h.buf[1] = 'Y';
        h.buf[2] = 'L';
        h.buf[3] = 'L';
        h.buf[4] = SPARSE;
        int p = HEADER;
        int left = REGISTERS;
        while (left > 0) {
            int xzero = Math.min(XZERO_MAX_LEN, left);
            h.setXzero(p, xzero);
            p += 2;
            left -= xzero;
        }
        return h;
    }

    /** A working copy of a stored value the caller checked with {@link #isValid}. */
    public static HyperLogLog of(byte[] stored) {
        return new HyperLogLog(Arrays.copyOf(stored, stored.length + 8), stored.length);
    }

    /**
     * Whether a string can be used as a HLL (isHLLObjectOrReply): at least a header, the magic, a known
     * encoding and, when dense, exactly the dense size. A sparse body is only checked when it is read.
     */
    public static boolean isValid(byte[] v) {
        if (v.length < HEADER) {
            return false;
        }
        if (v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') {
            return false;
        }
        int encoding = v[4] & 0xFF;
        if (encoding > SPARSE) {
            return false;
        }
        return encoding != DENSE || v.length == DENSE_SIZE;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public int encoding() {
        return buf[4] & 0xFF;
    }

    private int u(int i) {
        return buf[i] & 0xFF;
    }

    private void ensure(int capacity) {
        if (buf.length < capacity) {
            buf = Arrays.copyOf(buf, Math.max(capacity, buf.length + buf.length / 2));
        }
    }

    // ---------------------------------------------------------------- cached cardinality

    /** The cached cardinality, or -1 when the cache is stale. */
    public long cachedCardinality() {
        if ((buf[15] & 0x80) != 0) {
            return -1;
        }
        long card = 0;
        for (int i = 0; i < 8; i++) {
            card |= (buf[8 + i] & 0xFFL) << (8 * i);
        }
        return card;
    }

    public void cacheCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            buf[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    // ---------------------------------------------------------------- adding elements

    /**
     * Adds an element: 1 when a register changed, 0 when none did, -1 when the sparse representation
     * is corrupt. {@code sparseMaxBytes} is hll-sparse-max-bytes.
     */
    public int add(byte[] element, long sparseMaxBytes) {
        long hash = MurmurHash64A.hash(element, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        long bit = 1;
        int count = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        return switch (encoding()) {
            case DENSE -> denseSet(index, count) ? 1 : 0;
            case SPARSE -> sparseSet(index, count, sparseMaxBytes);
            default -> -1;
        };
    }

    /** Raises register {@code index} to {@code count} (PFMERGE): 1 changed, 0 unchanged, -1 corrupt. */
    public int raise(int index, int count, long sparseMaxBytes) {
        return encoding() == DENSE ? (denseSet(index, count) ? 1 : 0) : sparseSet(index, count, sparseMaxBytes);
    }

    /** The dense register {@code index} (the HLL must be dense). */
    public int register(int index) {
        return denseGet(buf, HEADER, index);
    }

    static int denseGet(byte[] b, int base, int index) {
        int at = base + index * 6 / 8;
        int fb = index * 6 & 7;
        int b0 = b[at] & 0xFF;
        int b1 = at + 1 < b.length ? b[at + 1] & 0xFF : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseSetRaw(byte[] b, int base, int index, int value) {
        int at = base + index * 6 / 8;
        int fb = index * 6 & 7;
        int fb8 = 8 - fb;
        b[at] = (byte) ((b[at] & ~(REGISTER_MAX << fb)) | (value << fb));
        if (at + 1 < b.length) {
            b[at + 1] = (byte) ((b[at + 1] & ~(REGISTER_MAX >>> fb8)) | (value >>> fb8));
        }
    }

    private boolean denseSet(int index, int count) {
        if (count > denseGet(buf, HEADER, index)) {
            denseSetRaw(buf, HEADER, index, count);
            return true;
        }
        return false;
    }

    private boolean isZero(int p) {
        return (buf[p] & 0xc0) == 0;
    }

    private boolean isXzero(int p) {
        return (buf[p] & 0xc0) == 0x40;
    }

    private boolean isVal(int p) {
        return (buf[p] & 0x80) != 0;
    }

    private int zeroLen(int p) {
        return (u(p) & 0x3f) + 1;
    }

    private int xzeroLen(int p) {
        return (((u(p) & 0x3f) << 8) | u(p + 1)) + 1;
    }

    private int valValue(int p) {
        return ((u(p) >>> 2) & 0x1f) + 1;
    }

    private int valLen(int p) {
        return (u(p) & 0x3) + 1;
    }

    private static byte val(int value, int len) {
        return (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
    }

    private void setXzero(int p, int len) {
        int l = len - 1;
        buf[p] = (byte) ((l >>> 8) | 0x40);
        buf[p + 1] = (byte) (l & 0xff);
    }

    /**
     * hllSparseSet: finds the opcode covering {@code index}, splits it into up to three opcodes with the
     * register in the middle, merges equal adjacent VAL opcodes around it, and turns dense when the value
     * does not fit a VAL opcode or the result would pass {@code sparseMaxBytes}.
     */
    private int sparseSet(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(index, count);
        }
        ensure(len + 8);
        int sparse = HEADER;
        int p = sparse;
        int end = len;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int oplen = 1;
            if (isZero(p)) {
                span = zeroLen(p);
            } else if (isVal(p)) {
                span = valLen(p);
            } else {
                span = xzeroLen(p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int next = isXzero(p) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        boolean zero = false, xzero = false, isValue = false;
        int runlen;
        if (isZero(p)) {
            zero = true;
            runlen = zeroLen(p);
        } else if (isXzero(p)) {
            xzero = true;
            runlen = xzeroLen(p);
        } else {
            isValue = true;
            runlen = valLen(p);
        }
        boolean done = false;
        if (isValue) {
            int old = valValue(p);
            if (old >= count) {
                return 0;
            }
            if (runlen == 1) {
                buf[p] = val(count, 1);
                done = true;
            }
        }
        if (!done && zero && runlen == 1) {
            buf[p] = val(count, 1);
            done = true;
        }
        if (!done) {
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (zero || xzero) {
                if (index != first) {
                    int l = index - first;
                    if (l > ZERO_MAX_LEN) {
                        seq[n++] = (byte) (((l - 1) >>> 8) | 0x40);
                        seq[n++] = (byte) ((l - 1) & 0xff);
                    } else {
                        seq[n++] = (byte) (l - 1);
                    }
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    int l = last - index;
                    if (l > ZERO_MAX_LEN) {
                        seq[n++] = (byte) (((l - 1) >>> 8) | 0x40);
                        seq[n++] = (byte) ((l - 1) & 0xff);
                    } else {
                        seq[n++] = (byte) (l - 1);
                    }
                }
            } else {
                int curval = valValue(p);
                if (index != first) {
                    seq[n++] = val(curval, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(curval, last - index);
                }
            }
            int oldlen = xzero ? 2 : 1;
            int delta = n - oldlen;
            if (delta > 0 && len + delta > sparseMaxBytes) {
                return promote(index, count);
            }
            ensure(len + delta + 8);
            if (delta != 0 && next >= 0) {
                System.arraycopy(buf, next, buf, next + delta, end - next);
            }
            len += delta;
            System.arraycopy(seq, 0, buf, p, n);
            end += delta;
            if (delta < 0) {
                Arrays.fill(buf, len, Math.min(buf.length, len - delta), (byte) 0);
            }
        }
        // Merge adjacent VAL opcodes of one value, scanning up to five opcodes from the one before.
        p = prev >= 0 ? prev : sparse;
        int scan = 5;
        while (p < end && scan-- > 0) {
            if (isXzero(p)) {
                p += 2;
                continue;
            } else if (isZero(p)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(p + 1)) {
                int v1 = valValue(p);
                int v2 = valValue(p + 1);
                if (v1 == v2) {
                    int l = valLen(p) + valLen(p + 1);
                    if (l <= VAL_MAX_LEN) {
                        buf[p + 1] = val(v1, l);
                        System.arraycopy(buf, p + 1, buf, p, end - p);
                        len--;
                        end--;
                        buf[end] = 0;
                        continue;
                    }
                }
            }
            p++;
        }
        invalidateCache();
        return 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) {
            return -1;
        }
        denseSet(index, count);
        return 1;
    }

    /** hllSparseToDense: true when dense now (or already), false when the sparse form is corrupt. */
    public boolean toDense() {
        if (encoding() == DENSE) {
            return true;
        }
        byte[] dense = new byte[DENSE_SIZE + 8];
        System.arraycopy(buf, 0, dense, 0, HEADER);
        dense[4] = DENSE;
        int idx = 0;
        int p = HEADER;
        while (p < len) {
            if (isZero(p)) {
                idx += zeroLen(p);
                p++;
            } else if (isXzero(p)) {
                idx += xzeroLen(p);
                p += 2;
            } else {
                int runlen = valLen(p);
                int value = valValue(p);
                if (runlen + idx > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    denseSetRaw(dense, HEADER, idx, value);
                    idx++;
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            return false;
        }
        buf = dense;
        len = DENSE_SIZE;
        return true;
    }

    // ---------------------------------------------------------------- counting and merging

    /** The estimated cardinality, or -1 when the sparse representation does not cover every register. */
    public long count() {
        int[] histogram = new int[64];
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                histogram[denseGet(buf, HEADER, i)]++;
            }
        } else {
            int idx = 0;
            int p = HEADER;
            while (p < len) {
                if (isZero(p)) {
                    int r = zeroLen(p);
                    idx += r;
                    histogram[0] += r;
                    p++;
                } else if (isXzero(p)) {
                    int r = xzeroLen(p);
                    idx += r;
                    histogram[0] += r;
                    p += 2;
                } else {
                    int r = valLen(p);
                    idx += r;
                    histogram[valValue(p)] += r;
                    p++;
                }
            }
            if (idx != REGISTERS) {
                return -1;
            }
        }
        return estimate(histogram);
    }

    /** The cardinality of registers given one per byte (PFCOUNT of several keys merges into these). */
    public static long countRaw(byte[] registers) {
        int[] histogram = new int[64];
        for (byte r : registers) {
            histogram[r]++;
        }
        return estimate(histogram);
    }

    /** Raises {@code max} (one register per byte) to this HLL's registers; false when corrupt. */
    public boolean mergeInto(byte[] max) {
        if (encoding() == DENSE) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(buf, HEADER, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        int i = 0;
        int p = HEADER;
        while (p < len) {
            if (isZero(p)) {
                i += zeroLen(p);
                p++;
            } else if (isXzero(p)) {
                i += xzeroLen(p);
                p += 2;
            } else {
                int runlen = valLen(p);
                int value = valValue(p);
                if (runlen + i > REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    if (value > max[i]) {
                        max[i] = (byte) value;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == REGISTERS;
    }

    /** Ertl's improved estimator over the register histogram, as hllCount computes it. */
    private static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (zPrime != z);
        return z / 3;
    }

    // ---------------------------------------------------------------- PFDEBUG DECODE

    /** The sparse opcodes as PFDEBUG DECODE prints them ("Z:16384", "z:3 v:2,1 ..."). */
    public String decodeSparse() {
        StringBuilder sb = new StringBuilder();
        int p = HEADER;
        while (p < len) {
            if (isZero(p)) {
                sb.append("z:").append(zeroLen(p)).append(' ');
                p++;
            } else if (isXzero(p)) {
                sb.append("Z:").append(xzeroLen(p)).append(' ');
                p += 2;
            } else {
                sb.append("v:").append(valValue(p)).append(',').append(valLen(p)).append(' ');
                p++;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
