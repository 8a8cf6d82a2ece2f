package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.ProtocolException;

/**
 * Finds where one RESP2/RESP3 reply ends in a buffer without decoding it, so the gateway forwards a
 * backend's reply byte for byte (the client gets exactly what the node wrote, in its own protocol) and
 * decodes only the replies it has to merge. Every type is framed: simple lines ({@code + - : _ , # (}),
 * length-prefixed bodies ({@code $ ! =}) and aggregates ({@code * ~ >} of n, {@code %} of 2n, an
 * attribute {@code |} of 2n followed by the reply it annotates).
 */
public final class ReplyFramer {
    private static final int MAX_DEPTH = 64;

    private ReplyFramer() {
    }

    /** The index just past the reply that starts at {@code at}, or -1 when it has not fully arrived. */
    public static int end(ByteBuf b, int at) throws ProtocolException {
        return end(b, at, 0);
    }

    private static int end(ByteBuf b, int at, int depth) throws ProtocolException {
        if (depth > MAX_DEPTH) {
            throw new ProtocolException("Protocol error: reply nesting too deep");
        }
        int limit = b.writerIndex();
        if (at >= limit) {
            return -1;
        }
        byte prefix = b.getByte(at);
        int cr = b.indexOf(at + 1, limit, (byte) '\r');
        if (cr < 0 || cr + 1 >= limit) {
            return -1;
        }
        int next = cr + 2;
        switch (prefix) {
            case '+', '-', ':', '_', ',', '#', '(':
                return next;
            case '$', '!', '=': {
                long len = number(b, at, cr);
                if (len < 0) {
                    return next;
                }
                long end = next + len + 2;
                return end <= limit ? (int) end : -1;
            }
            case '*', '~', '>', '%', '|': {
                long n = number(b, at, cr);
                if (n < 0) {
                    return next;
                }
                long items = prefix == '%' || prefix == '|' ? n * 2 : n;
                if (prefix == '|') {
                    items++;
                }
                int pos = next;
                for (long i = 0; i < items; i++) {
                    pos = end(b, pos, depth + 1);
                    if (pos < 0) {
                        return -1;
                    }
                }
                return pos;
            }
            default:
                throw new ProtocolException("Protocol error: unknown reply type '" + (char) (prefix & 0xff) + "'");
        }
    }

    /** The count or length on the header line at {@code at} (ending at {@code cr}). */
    public static long number(ByteBuf b, int at, int cr) throws ProtocolException {
        long n = Numbers.parse(b, at + 1, cr);
        if (n == Numbers.INVALID) {
            throw new ProtocolException("Protocol error: invalid length in reply");
        }
        return n;
    }

    /**
     * The element boundaries of the aggregate reply at {@code [at, end)}: {@code bounds[0]} is where
     * the first element starts, {@code bounds[i+1]} where element i ends. Null when the reply is not an
     * array, set or push (a null array, an error).
     */
    public static int[] elements(ByteBuf b, int at) throws ProtocolException {
        byte prefix = b.getByte(at);
        if (prefix != '*' && prefix != '~' && prefix != '>') {
            return null;
        }
        int cr = b.indexOf(at + 1, b.writerIndex(), (byte) '\r');
        long n = number(b, at, cr);
        if (n < 0) {
            return null;
        }
        int[] bounds = new int[(int) n + 1];
        bounds[0] = cr + 2;
        for (int i = 0; i < n; i++) {
            bounds[i + 1] = end(b, bounds[i], 1);
        }
        return bounds;
    }

    /** The text of an error or simple-string reply at {@code at} (without its prefix), else null. */
    public static String line(ByteBuf b, int at) {
        byte prefix = b.getByte(at);
        if (prefix != '-' && prefix != '+' && prefix != ':') {
            return null;
        }
        int cr = b.indexOf(at + 1, b.writerIndex(), (byte) '\r');
        return b.toString(at + 1, cr - at - 1, java.nio.charset.StandardCharsets.UTF_8);
    }
}
