package io.rookery.node.rdb;

import io.rookery.protocol.Numbers;
import java.io.ByteArrayOutputStream;

/**
 * Builds a listpack blob as Redis's listpack.c lays it out (see {@link PackedFormats} for the grammar):
 * strings that read as canonical 64-bit integers are stored as integers, every entry is followed by
 * its back-length, and the element count saturates at 65535 ("unknown") as in Redis.
 */
final class ListpackWriter {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int count;

    ListpackWriter add(byte[] s) {
        if (s.length > 0 && s.length <= 20 && Numbers.isLong(s)) {
            return add(Numbers.parseLong(s));
        }
        int len = s.length;
        byte[] header;
        if (len < 64) {
            header = new byte[]{(byte) (0x80 | len)};
        } else if (len < 4096) {
            header = new byte[]{(byte) (0xe0 | (len >> 8)), (byte) len};
        } else {
            header = new byte[]{(byte) 0xf0, (byte) len, (byte) (len >> 8), (byte) (len >> 16), (byte) (len >> 24)};
        }
        body.writeBytes(header);
        body.writeBytes(s);
        backlen(header.length + len);
        return this;
    }

    ListpackWriter add(long v) {
        byte[] e;
        if (v >= 0 && v <= 127) {
            e = new byte[]{(byte) v};
        } else if (v >= -4096 && v <= 4095) {
            long u = v < 0 ? (1 << 13) + v : v;
            e = new byte[]{(byte) (0xc0 | (u >> 8)), (byte) u};
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            e = le(0xf1, v, 2);
        } else if (v >= -8388608 && v <= 8388607) {
            e = le(0xf2, v, 3);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            e = le(0xf3, v, 4);
        } else {
            e = le(0xf4, v, 8);
        }
        body.writeBytes(e);
        backlen(e.length);
        return this;
    }

    private static byte[] le(int tag, long v, int width) {
        byte[] e = new byte[1 + width];
        e[0] = (byte) tag;
        for (int i = 0; i < width; i++) {
            e[1 + i] = (byte) (v >> (8 * i));
        }
        return e;
    }

    /** The entry's length written back to front, 7 bits per byte (Redis's lpEncodeBacklen). */
    private void backlen(long l) {
        count++;
        if (l <= 127) {
            body.write((int) l);
        } else if (l < 16383) {
            body.write((int) (l >> 7));
            body.write((int) ((l & 127) | 128));
        } else if (l < 2097151) {
            body.write((int) (l >> 14));
            body.write((int) (((l >> 7) & 127) | 128));
            body.write((int) ((l & 127) | 128));
        } else if (l < 268435455) {
            body.write((int) (l >> 21));
            body.write((int) (((l >> 14) & 127) | 128));
            body.write((int) (((l >> 7) & 127) | 128));
            body.write((int) ((l & 127) | 128));
        } else {
            body.write((int) (l >> 28));
            body.write((int) (((l >> 21) & 127) | 128));
            body.write((int) (((l >> 14) & 127) | 128));
            body.write((int) (((l >> 7) & 127) | 128));
            body.write((int) ((l & 127) | 128));
        }
    }

    byte[] toByteArray() {
        byte[] b = body.toByteArray();
        int total = 6 + b.length + 1;
        byte[] out = new byte[total];
        out[0] = (byte) total;
        out[1] = (byte) (total >> 8);
        out[2] = (byte) (total >> 16);
        out[3] = (byte) (total >> 24);
        int n = Math.min(count, 65535);
        out[4] = (byte) n;
        out[5] = (byte) (n >> 8);
        System.arraycopy(b, 0, out, 6, b.length);
        out[total - 1] = (byte) 0xff;
        return out;
    }
}
