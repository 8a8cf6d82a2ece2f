package io.rookery.node.rdb;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.impl.VanillaChunkDecoder;
import com.ning.compress.lzf.impl.VanillaChunkEncoder;

/**
 * Bare LZF blocks (no chunk headers), the form Redis stores compressed strings in. Delegates to the
 * compress-lzf library, whose block format is liblzf's.
 */
final class Lzf {
    private static final ChunkDecoder DECODER = new VanillaChunkDecoder();

    private Lzf() {
    }

    /** Exposes the library's raw block compressor. */
    private static final class RawEncoder extends VanillaChunkEncoder {
        RawEncoder(int length) {
            super(Math.max(length, 16));
        }

        int compress(byte[] in, byte[] out) {
            return tryCompress(in, 0, in.length, out, 0);
        }
    }

    /**
     * Compresses strings one after another with one encoder and one scratch buffer (an encoder holds a
     * 64 KiB hash table: making one per string was most of the cost of saving many longer strings).
     * Stale hash entries from an earlier string are harmless: a match is always checked byte by byte.
     */
    static final class Compressor {
        private final RawEncoder encoder = new RawEncoder(0);
        private byte[] scratch = new byte[256];

        /**
         * Compresses {@code in} into {@link #output()}; returns the block's length, or 0 when it would
         * not save at least 4 bytes (Redis's rule) and the string is to be stored as it is.
         */
        int compress(byte[] in) {
            if (in.length <= 4) {
                return 0;
            }
            int room = in.length + (in.length >> 4) + 64;
            if (scratch.length < room) {
                scratch = new byte[Math.max(room, scratch.length * 2)];
            }
            int len = encoder.compress(in, scratch);
            return len <= 0 || len >= in.length - 4 ? 0 : len;
        }

        /** The last compressed block, in its first {@link #compress} bytes. */
        byte[] output() {
            return scratch;
        }
    }

    static byte[] decompress(byte[] in, int originalLength) throws RdbFormatException {
        byte[] out = new byte[originalLength];
        try {
            DECODER.decodeChunk(in, 0, out, 0, originalLength);
        } catch (LZFException | RuntimeException e) {
            throw new RdbFormatException("invalid LZF data");
        }
        return out;
    }
}
