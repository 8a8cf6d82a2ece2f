package io.rookery.protocol.cluster;

/**
 * Cluster key slots: CRC16 (XMODEM, polynomial 0x1021) of the key, or of its hash tag, modulo 16384.
 * A hash tag is the part between the first '{' and the next '}' when that part is not empty, so
 * {@code {user1000}.following} and {@code {user1000}.followers} share a slot.
 */
public final class SlotHash {
    public static final int SLOT_COUNT = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private SlotHash() {
    }

    public static int crc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    public static int slot(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, key.length) & (SLOT_COUNT - 1);
    }
}
