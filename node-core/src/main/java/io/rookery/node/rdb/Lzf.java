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

    /** The compressed block, or null when it would not save at least 4 bytes (Redis's rule). */
    static byte[] compress(byte[] in) {
        if (in.length <= 4) {
            return null;
        }
        byte[] out = new byte[in.length + (in.length >> 4) + 64];
        int len;
        try (RawEncoder enc = new RawEncoder(in.length)) {
            len = enc.compress(in, out);
        }
        if (len <= 0 || len >= in.length - 4) {
            return null;
        }
        return java.util.Arrays.copyOf(out, len);
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
