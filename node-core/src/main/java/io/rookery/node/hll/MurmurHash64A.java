package io.rookery.node.hll;

/**
 * MurmurHash2, 64-bit version (Austin Appleby's MurmurHash64A), reading 8-byte blocks little-endian
 * as Redis's endian-neutral copy in hyperloglog.c does, so a HyperLogLog hashes elements to the same
 * registers as Redis on any machine.
 */
public final class MurmurHash64A {
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    private MurmurHash64A() {
    }

    public static long hash(byte[] data, int seed) {
        int len = data.length;
        long h = (seed & 0xFFFFFFFFL) ^ (len * M);
        int blocks = len - (len & 7);
        for (int i = 0; i < blocks; i += 8) {
            long k = (data[i] & 0xFFL)
                    | (data[i + 1] & 0xFFL) << 8
                    | (data[i + 2] & 0xFFL) << 16
                    | (data[i + 3] & 0xFFL) << 24
                    | (data[i + 4] & 0xFFL) << 32
                    | (data[i + 5] & 0xFFL) << 40
                    | (data[i + 6] & 0xFFL) << 48
                    | (data[i + 7] & 0xFFL) << 56;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int j = rest - 1; j >= 0; j--) {
                h ^= (data[blocks + j] & 0xFFL) << (8 * j);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
