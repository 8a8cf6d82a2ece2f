package io.rookery.node.rdb;

import io.rookery.protocol.Numbers;
import java.util.Arrays;

/**
 * Writes RDB primitives: lengths, strings (as small integers, LZF blocks or raw bytes, as Redis's
 * rdbSaveRawString chooses), little-endian numbers and binary doubles.
 *
 * <pre>
 * length  = 00xxxxxx | 01xxxxxx xxxxxxxx | 0x80 u32be | 0x81 u64be
 * string  = length bytes
 *         | 0xC0 i8 | 0xC1 i16le | 0xC2 i32le          ; integers that print as the string
 *         | 0xC3 length(compressed) length(original) lzf-block
 * </pre>
 *
 * <p>The bytes go to a plain growable array written without locks (a 1M-field hash is millions of
 * small writes), which can be sized up front ({@link #RdbOutput(boolean, int)}, e.g. from
 * {@link ValueCodec#bodySize}) so serializing a big value allocates its payload once; and one LZF
 * compressor with its scratch space serves every string this output compresses.
 */
public class RdbOutput {
    private static final int DEFAULT_CAPACITY = 256;

    private byte[] buf;
    private int count;
    private final boolean compress;
    private Lzf.Compressor lzf;

    public RdbOutput(boolean compress) {
        this(compress, DEFAULT_CAPACITY);
    }

    /** An output whose buffer starts with room for {@code capacity} bytes. */
    public RdbOutput(boolean compress, int capacity) {
        this.buf = new byte[Math.max(16, capacity)];
        this.compress = compress;
    }

    /** A copy of what was written; the buffer itself when it holds exactly that (sized right up front). */
    public byte[] toByteArray() {
        return count == buf.length ? buf : Arrays.copyOf(buf, count);
    }

    /** The CRC-64 of everything written so far. */
    public long crc64() {
        return Crc64.of(buf, 0, count);
    }

    public boolean compress() {
        return compress;
    }

    public int size() {
        return count;
    }

    public void reset() {
        count = 0;
    }

    private void ensure(int more) {
        int needed = count + more;
        if (needed < 0) {
            throw new OutOfMemoryError("RDB output larger than 2 GB");
        }
        if (needed > buf.length) {
            int grown = buf.length + Math.max(buf.length >> 1, more);
            buf = Arrays.copyOf(buf, grown < 0 || grown > Integer.MAX_VALUE - 16 ? needed : Math.max(grown, needed));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    public void writeBytes(byte[] b) {
        writeBytes(b, 0, b.length);
    }

    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    public void writeLength(long len) {
        ensure(9);
        byte[] b = buf;
        int c = count;
        if (len < (1 << 6)) {
            b[c++] = (byte) len;
        } else if (len < (1 << 14)) {
            b[c++] = (byte) ((len >> 8) | 0x40);
            b[c++] = (byte) len;
        } else if (len <= 0xffffffffL) {
            b[c++] = (byte) RdbConstants.LEN_32BIT;
            b[c++] = (byte) (len >> 24);
            b[c++] = (byte) (len >> 16);
            b[c++] = (byte) (len >> 8);
            b[c++] = (byte) len;
        } else {
            b[c++] = (byte) RdbConstants.LEN_64BIT;
            for (int s = 56; s >= 0; s -= 8) {
                b[c++] = (byte) (len >> s);
            }
        }
        count = c;
    }

    /** How many bytes {@link #writeLength} takes for {@code len}. */
    public static int lengthSize(long len) {
        return len < (1 << 6) ? 1 : len < (1 << 14) ? 2 : len <= 0xffffffffL ? 5 : 9;
    }

    public void writeString(byte[] s) {
        int n = s.length;
        if (n <= 11 && n > 0) {
            // at most 11 bytes: never the 20-character Long.MIN_VALUE, so INVALID means "not an integer"
            long v = Numbers.parseLong(s);
            if (v != Numbers.INVALID && writeIntEncoded(v)) {
                return;
            }
        }
        if (compress && n > 20) {
            if (lzf == null) {
                lzf = new Lzf.Compressor();
            }
            int clen = lzf.compress(s);
            if (clen > 0) {
                writeByte((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_LZF);
                writeLength(clen);
                writeLength(n);
                writeBytes(lzf.output(), 0, clen);
                return;
            }
        }
        writeLength(n);
        writeBytes(s, 0, n);
    }

    /**
     * How many bytes {@link #writeString} takes for {@code s} without compression (with compression a
     * string takes at most one byte more: LZF is used only when it saves at least 4 bytes of the body).
     */
    public static int stringSize(byte[] s) {
        int n = s.length;
        if (n <= 11 && n > 0) {
            long v = Numbers.parseLong(s);
            if (v != Numbers.INVALID) {
                if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    return 2;
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    return 3;
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return 5;
                }
            }
        }
        return lengthSize(n) + n;
    }

    private boolean writeIntEncoded(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            ensure(2);
            buf[count++] = (byte) ((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT8);
            buf[count++] = (byte) v;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT16);
            writeLittleEndian(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT32);
            writeLittleEndian(v, 4);
        } else {
            return false;
        }
        return true;
    }

    public void writeLittleEndian(long v, int bytes) {
        ensure(bytes);
        for (int i = 0; i < bytes; i++) {
            buf[count++] = (byte) (v >>> (8 * i));
        }
    }

    public void writeDouble(double d) {
        writeLittleEndian(Double.doubleToRawLongBits(d), 8);
    }
}
