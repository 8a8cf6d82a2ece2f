package io.rookery.node.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoders for the packed blobs Redis stores inside RDB values: listpack (7.0's small hashes, sorted
 * sets and list nodes), ziplist (the same before 7.0) and intset. Every read is bounds-checked, so a
 * corrupt blob fails with {@link RdbFormatException}.
 *
 * <pre>
 * listpack = total:u32le count:u16le *entry 0xFF
 * entry    = 0xxxxxxx | 10llllll data | 110xxxxx yyyyyyyy | 1110llll llllllll data
 *          | 11110000 len:u32le data | 11110001 i16 | 11110010 i24 | 11110011 i32 | 11110100 i64
 *          ; each followed by its back-length (1-5 bytes)
 * ziplist  = bytes:u32le tail:u32le count:u16le *(prevlen encoding data) 0xFF
 * intset   = width:u32le count:u32le count*(width-byte little-endian integers)
 * </pre>
 */
final class PackedFormats {
    private PackedFormats() {
    }

    static List<byte[]> listpack(byte[] b) throws RdbFormatException {
        if (b.length < 7) {
            throw new RdbFormatException("listpack too short");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        while (true) {
            check(b, p, 1);
            int e = b[p] & 0xff;
            if (e == 0xff) {
                return out;
            }
            int start = p;
            if ((e & 0x80) == 0) {
                out.add(num(e & 0x7f));
                p += 1;
            } else if ((e & 0xc0) == 0x80) {
                int len = e & 0x3f;
                check(b, p + 1, len);
                out.add(slice(b, p + 1, len));
                p += 1 + len;
            } else if ((e & 0xe0) == 0xc0) {
                check(b, p, 2);
                int v = ((e & 0x1f) << 8) | (b[p + 1] & 0xff);
                out.add(num(v >= 1 << 12 ? v - (1 << 13) : v));
                p += 2;
            } else if ((e & 0xf0) == 0xe0) {
                check(b, p, 2);
                int len = ((e & 0x0f) << 8) | (b[p + 1] & 0xff);
                check(b, p + 2, len);
                out.add(slice(b, p + 2, len));
                p += 2 + len;
            } else if (e == 0xf0) {
                check(b, p, 5);
                long len = le(b, p + 1, 4);
                if (len > b.length) {
                    throw new RdbFormatException("listpack string too long");
                }
                check(b, p + 5, (int) len);
                out.add(slice(b, p + 5, (int) len));
                p += 5 + (int) len;
            } else if (e >= 0xf1 && e <= 0xf4) {
                int width = e == 0xf1 ? 2 : e == 0xf2 ? 3 : e == 0xf3 ? 4 : 8;
                check(b, p + 1, width);
                out.add(num(signed(le(b, p + 1, width), width)));
                p += 1 + width;
            } else {
                throw new RdbFormatException("bad listpack entry encoding " + e);
            }
            int entryLen = p - start;
            p += entryLen <= 127 ? 1 : entryLen < 16383 ? 2 : entryLen < 2097151 ? 3 : entryLen < 268435455 ? 4 : 5; // as lpEncodeBacklen
        }
    }

    static List<byte[]> ziplist(byte[] b) throws RdbFormatException {
        if (b.length < 11) {
            throw new RdbFormatException("ziplist too short");
        }
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        while (true) {
            check(b, p, 1);
            if ((b[p] & 0xff) == 0xff) {
                return out;
            }
            p += (b[p] & 0xff) == 0xfe ? 5 : 1; // previous entry length
            check(b, p, 1);
            int e = b[p] & 0xff;
            switch (e >> 6) {
                case 0 -> {
                    int len = e & 0x3f;
                    check(b, p + 1, len);
                    out.add(slice(b, p + 1, len));
                    p += 1 + len;
                }
                case 1 -> {
                    check(b, p, 2);
                    int len = ((e & 0x3f) << 8) | (b[p + 1] & 0xff);
                    check(b, p + 2, len);
                    out.add(slice(b, p + 2, len));
                    p += 2 + len;
                }
                case 2 -> {
                    check(b, p, 5);
                    long len = ((long) (b[p + 1] & 0xff) << 24) | ((b[p + 2] & 0xff) << 16) | ((b[p + 3] & 0xff) << 8) | (b[p + 4] & 0xff);
                    if (len > b.length) {
                        throw new RdbFormatException("ziplist string too long");
                    }
                    check(b, p + 5, (int) len);
                    out.add(slice(b, p + 5, (int) len));
                    p += 5 + (int) len;
                }
                default -> {
                    int width;
                    if (e == 0xc0) {
                        width = 2;
                    } else if (e == 0xd0) {
                        width = 4;
                    } else if (e == 0xe0) {
                        width = 8;
                    } else if (e == 0xf0) {
                        width = 3;
                    } else if (e == 0xfe) {
                        width = 1;
                    } else if (e >= 0xf1 && e <= 0xfd) {
                        out.add(num((e & 0x0f) - 1));
                        p += 1;
                        continue;
                    } else {
                        throw new RdbFormatException("bad ziplist entry encoding " + e);
                    }
                    check(b, p + 1, width);
                    out.add(num(signed(le(b, p + 1, width), width)));
                    p += 1 + width;
                }
            }
        }
    }

    static List<byte[]> intset(byte[] b) throws RdbFormatException {
        check(b, 0, 8);
        int width = (int) le(b, 0, 4);
        long count = le(b, 4, 4);
        if (width != 2 && width != 4 && width != 8 || count * width > b.length - 8) {
            throw new RdbFormatException("bad intset header");
        }
        List<byte[]> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            out.add(num(signed(le(b, 8 + i * width, width), width)));
        }
        return out;
    }

    private static void check(byte[] b, int p, int n) throws RdbFormatException {
        if (p < 0 || n < 0 || p + n > b.length) {
            throw new RdbFormatException("packed value runs past its end");
        }
    }

    private static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[p + i] & 0xff) << (8 * i);
        }
        return v;
    }

    private static long signed(long v, int width) {
        if (width == 8) {
            return v;
        }
        int bits = width * 8;
        return (v << (64 - bits)) >> (64 - bits);
    }

    private static byte[] slice(byte[] b, int p, int n) {
        return java.util.Arrays.copyOfRange(b, p, p + n);
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
