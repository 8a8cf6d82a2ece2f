package io.rookery.node.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Reads the RDB primitives written by {@link RdbOutput} from a byte array, checking every length
 * against what is left, so corrupt input fails with {@link RdbFormatException} instead of running off.
 */
public class RdbInput {
    private final byte[] data;
    private int pos;
    private final int end;

    public RdbInput(byte[] data, int from, int to) {
        this.data = data;
        this.pos = from;
        this.end = to;
    }

    public int position() {
        return pos;
    }

    /** Bytes left to read. */
    public int remaining() {
        return end - pos;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    public int readByte() throws RdbFormatException {
        need(1);
        return data[pos++] & 0xff;
    }

    public byte[] readBytes(int n) throws RdbFormatException {
        need(n);
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    private void need(long n) throws RdbFormatException {
        if (n < 0 || pos + n > end) {
            throw new RdbFormatException("unexpected end of data");
        }
    }

    /** A length, or -1-encoding for a special string encoding (returned as {@code -(enc+1)}). */
    public long readLengthOrEncoding() throws RdbFormatException {
        int first = readByte();
        int type = (first & 0xc0) >> 6;
        if (type == RdbConstants.ENCVAL) {
            return -((first & 0x3f) + 1);
        }
        if (type == RdbConstants.LEN_6BIT) {
            return first & 0x3f;
        }
        if (type == RdbConstants.LEN_14BIT) {
            return ((first & 0x3f) << 8) | readByte();
        }
        if (first == RdbConstants.LEN_32BIT) {
            return readBigEndian(4);
        }
        if (first == RdbConstants.LEN_64BIT) {
            long v = readBigEndian(8);
            if (v < 0) {
                throw new RdbFormatException("length out of range");
            }
            return v;
        }
        throw new RdbFormatException("unknown length encoding " + first);
    }

    public long readLength() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len < 0) {
            throw new RdbFormatException("unexpected string encoding where a length belongs");
        }
        return len;
    }

    public byte[] readString() throws RdbFormatException {
        long len = readLengthOrEncoding();
        if (len >= 0) {
            if (len > end - pos) {
                throw new RdbFormatException("string longer than the data");
            }
            return readBytes((int) len);
        }
        int enc = (int) (-len - 1);
        switch (enc) {
            case RdbConstants.ENC_INT8:
                return Long.toString((byte) readByte()).getBytes(StandardCharsets.US_ASCII);
            case RdbConstants.ENC_INT16:
                return Long.toString((short) readLittleEndian(2)).getBytes(StandardCharsets.US_ASCII);
            case RdbConstants.ENC_INT32:
                return Long.toString((int) readLittleEndian(4)).getBytes(StandardCharsets.US_ASCII);
            case RdbConstants.ENC_LZF: {
                long clen = readLength();
                long ulen = readLength();
                if (clen > end - pos || ulen > Integer.MAX_VALUE - 16) {
                    throw new RdbFormatException("bad LZF lengths");
                }
                return Lzf.decompress(readBytes((int) clen), (int) ulen);
            }
            default:
                throw new RdbFormatException("unknown string encoding " + enc);
        }
    }

    public long readLittleEndian(int bytes) throws RdbFormatException {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) (data[pos++] & 0xff) << (8 * i);
        }
        return v;
    }

    public long readBigEndian(int bytes) throws RdbFormatException {
        need(bytes);
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    public double readBinaryDouble() throws RdbFormatException {
        return Double.longBitsToDouble(readLittleEndian(8));
    }
}
