package io.rookery.node.rdb;

/**
 * CRC-64/Jones as Redis uses it for RDB trailers and DUMP payloads: reflected polynomial
 * 0xad93d23594c935a9, initial value 0, no final xor. crc("123456789") = 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = 0x95AC9329AC4BC9B5L; // 0xad93d23594c935a9 bit-reversed
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    public static long update(long crc, byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data, int from, int to) {
        return update(0, data, from, to);
    }
}
