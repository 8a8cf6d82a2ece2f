package io.rookery.node.types;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry id, {@code <ms>-<seq>}, both parts unsigned 64-bit as in Redis's streamID; ordered by
 * ms then seq, unsigned.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The id just after this one, or null when this is the largest possible id. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The id just before this one, or null when this is 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The 16-byte big-endian key Redis uses for this id in its radix trees (RDB node keys, PEL ids). */
    public byte[] encode() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    public static StreamId decode(byte[] b, int offset) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[offset + i] & 0xff);
            seq = (seq << 8) | (b[offset + 8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }

    /**
     * Parses {@code <ms>[-<seq>]}; a missing seq takes {@code missingSeq}. Returns null when malformed
     * (callers turn that into Redis's "Invalid stream ID" error). "-" and "+" are not handled here.
     */
    public static StreamId parse(byte[] arg, long missingSeq) {
        int dash = -1;
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = unsigned(arg, 0, dash < 0 ? arg.length : dash);
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new StreamId(ms, missingSeq);
        }
        Long seq = unsigned(arg, dash + 1, arg.length);
        return seq == null ? null : new StreamId(ms, seq);
    }

    /** An unsigned 64-bit decimal as Redis's string2ull accepts it (digits only, no sign), or null. */
    static Long unsigned(byte[] b, int from, int to) {
        if (to <= from || to - from > 20) {
            return null;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            long hi = Math.multiplyHigh(v, 10) + ((v >> 63) & 10); // unsigned high part of v*10
            long lo = v * 10;
            if (hi != 0) {
                return null;
            }
            long sum = lo + d;
            if (Long.compareUnsigned(sum, lo) < 0) {
                return null;
            }
            v = sum;
        }
        return v;
    }
}
