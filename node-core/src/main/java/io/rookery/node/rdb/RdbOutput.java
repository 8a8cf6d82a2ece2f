package io.rookery.node.rdb;

import io.rookery.protocol.Numbers;
import java.io.ByteArrayOutputStream;

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
 */
public class RdbOutput {
    protected final ByteArrayOutputStream out;
    private final boolean compress;

    public RdbOutput(boolean compress) {
        this(new ByteArrayOutputStream(), compress);
    }

    protected RdbOutput(ByteArrayOutputStream out, boolean compress) {
        this.out = out;
        this.compress = compress;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public boolean compress() {
        return compress;
    }

    public int size() {
        return out.size();
    }

    public void reset() {
        out.reset();
    }

    public void writeByte(int b) {
        out.write(b);
    }

    public void writeBytes(byte[] b) {
        out.write(b, 0, b.length);
    }

    public void writeLength(long len) {
        if (len < (1 << 6)) {
            out.write((int) len);
        } else if (len < (1 << 14)) {
            out.write((int) ((len >> 8) | 0x40));
            out.write((int) (len & 0xff));
        } else if (len <= 0xffffffffL) {
            out.write(RdbConstants.LEN_32BIT);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (len >> s) & 0xff);
            }
        } else {
            out.write(RdbConstants.LEN_64BIT);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (len >> s) & 0xff);
            }
        }
    }

    public void writeString(byte[] s) {
        if (s.length <= 11 && s.length > 0) {
            long v = Numbers.parseLong(s);
            if ((v != Numbers.INVALID || Numbers.isLong(s)) && writeIntEncoded(v)) {
                return;
            }
        }
        if (compress && s.length > 20) {
            byte[] c = Lzf.compress(s);
            if (c != null) {
                out.write((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_LZF);
                writeLength(c.length);
                writeLength(s.length);
                writeBytes(c);
                return;
            }
        }
        writeLength(s.length);
        writeBytes(s);
    }

    private boolean writeIntEncoded(long v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            out.write((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT8);
            out.write((int) v & 0xff);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            out.write((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT16);
            writeLittleEndian(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT32);
            writeLittleEndian(v, 4);
        } else {
            return false;
        }
        return true;
    }

    public void writeLittleEndian(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    public void writeDouble(double d) {
        writeLittleEndian(Double.doubleToRawLongBits(d), 8);
    }
}
