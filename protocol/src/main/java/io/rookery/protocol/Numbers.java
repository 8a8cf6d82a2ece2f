package io.rookery.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Strict integer parsing and formatting with Redis's rules ({@code string2ll}, {@code ll2string}): no
 * leading '+', no leading zeros, no spaces, within the range of a signed 64-bit integer.
 *
 * <p>Parsing returns {@link #INVALID} for text that is not an integer. Because that sentinel is also the
 * value of "-9223372036854775808", callers that must accept that one number check {@link #isLong}.
 */
public final class Numbers {
    private Numbers() {
    }

    public static final long INVALID = Long.MIN_VALUE;

    private static final byte[] MIN_LONG_BYTES = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL = new byte[10000][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    public static boolean isLong(byte[] s) {
        return parse(s, 0, s.length) != INVALID || java.util.Arrays.equals(s, MIN_LONG_BYTES);
    }

    public static long parseLong(byte[] s) {
        return parse(s, 0, s.length);
    }

    public static long parse(byte[] s, int from, int to) {
        int len = to - from;
        if (len == 0 || len > 20) {
            return INVALID;
        }
        if (len == 1 && s[from] == '0') {
            return 0;
        }
        int i = from;
        boolean negative = s[i] == '-';
        if (negative && ++i == to) {
            return INVALID;
        }
        if (s[i] < '1' || s[i] > '9') {
            return INVALID;
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multmin = limit / 10;
        long result = 0; // accumulated negatively, as Long.parseLong does
        for (; i < to; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9 || result < multmin) {
                return INVALID;
            }
            result *= 10;
            if (result < limit + d) {
                return INVALID;
            }
            result -= d;
        }
        return negative ? result : -result;
    }

    /** Parses the bytes of {@code buf} between {@code from} (inclusive) and {@code to}, as string2ll, in place. */
    public static long parse(ByteBuf buf, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return INVALID;
        }
        if (len == 1 && buf.getByte(from) == '0') {
            return 0;
        }
        int i = from;
        boolean negative = buf.getByte(i) == '-';
        if (negative && ++i == to) {
            return INVALID;
        }
        byte first = buf.getByte(i);
        if (first < '1' || first > '9') {
            return INVALID;
        }
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multmin = limit / 10;
        long result = 0;
        for (; i < to; i++) {
            int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9 || result < multmin) {
                return INVALID;
            }
            result *= 10;
            if (result < limit + d) {
                return INVALID;
            }
            result -= d;
        }
        return negative ? result : -result;
    }

    public static byte[] toBytes(long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v].clone();
        }
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** Decimal digits of {@code v} written into {@code buf}, without allocating. */
    public static void writeLong(ByteBuf buf, long v) {
        if (v >= 0 && v < SMALL.length) {
            buf.writeBytes(SMALL[(int) v]);
            return;
        }
        if (v == Long.MIN_VALUE) {
            buf.writeBytes(MIN_LONG_BYTES);
            return;
        }
        if (v < 0) {
            buf.writeByte('-');
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        buf.ensureWritable(digits);
        int start = buf.writerIndex();
        for (int i = start + digits - 1; i >= start; i--) {
            buf.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        buf.writerIndex(start + digits);
    }
}
