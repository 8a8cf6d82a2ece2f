package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.rookery.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of client-side caching messages, as Redis 7.0's tracking.c writes them:
 * <pre>
 *   RESP3 push          &gt;2 $10 invalidate KEYS
 *   RESP2 redirect      *3 $7 message $20 __redis__:invalidate KEYS   (to a subscribed client)
 *   KEYS                *n $len key ... | a null (flush: "_" under RESP3, "$-1" under RESP2)
 *   broken redirect     &gt;2 $21 tracking-redir-broken :id                (RESP3 only)
 * </pre>
 * and the reading of the pushes a backend's BCAST tracking connection sends the gateway.
 */
final class InvalidationFrames {
    private static final byte[] PUSH_HEAD = ">2\r\n$10\r\ninvalidate\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_HEAD = "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private InvalidationFrames() {
    }

    /**
     * An invalidation of {@code keys} (null: every key) for a receiver speaking {@code protocol}: a push
     * under RESP3, a {@code __redis__:invalidate} message under RESP2.
     */
    static byte[] invalidate(int protocol, List<byte[]> keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(protocol > 2 ? PUSH_HEAD : MESSAGE_HEAD);
        if (keys == null) {
            out.writeBytes(protocol > 2 ? NULL3 : NULL2);
        } else {
            header(out, '*', keys.size());
            for (byte[] k : keys) {
                header(out, '$', k.length);
                out.writeBytes(k);
                out.write('\r');
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    /** The RESP3 push telling a tracking client its redirect client is gone. */
    static byte[] redirectBroken(long redirect) {
        return (">2\r\n$21\r\ntracking-redir-broken\r\n:" + redirect + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void header(ByteArrayOutputStream out, char type, int n) {
        out.write(type);
        out.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    /** What an invalidation push says: the keys, or every key ({@code keys == null}, a flush). */
    record Invalidation(List<byte[]> keys) {
        boolean all() {
            return keys == null;
        }
    }

    /**
     * Reads the frame {@code buf[from, to)} a backend sent a BCAST tracking connection: the invalidation
     * it carries, or null for any other frame.
     */
    static Invalidation read(ByteBuf buf, int from) throws ProtocolException {
        if (buf.getByte(from) != '>') {
            return null;
        }
        int[] bounds = ReplyFramer.elements(buf, from);
        if (bounds == null || bounds.length != 3 || !"invalidate".equals(bulk(buf, bounds[0]))) {
            return null;
        }
        int payload = bounds[1];
        byte p = buf.getByte(payload);
        if (p == '_' || (p == '$' || p == '*') && buf.getByte(payload + 1) == '-') {
            return new Invalidation(null);
        }
        int[] keys = ReplyFramer.elements(buf, payload);
        if (keys == null) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(keys.length - 1);
        for (int i = 0; i + 1 < keys.length; i++) {
            byte[] k = bulkBytes(buf, keys[i]);
            if (k != null) {
                out.add(k);
            }
        }
        return new Invalidation(out);
    }

    private static String bulk(ByteBuf buf, int at) throws ProtocolException {
        byte[] b = bulkBytes(buf, at);
        return b == null ? null : new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] bulkBytes(ByteBuf buf, int at) throws ProtocolException {
        if (buf.getByte(at) != '$') {
            return null;
        }
        int cr = buf.indexOf(at + 1, buf.writerIndex(), (byte) '\r');
        long len = ReplyFramer.number(buf, at, cr);
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[(int) len];
        buf.getBytes(cr + 2, b);
        return b;
    }
}
