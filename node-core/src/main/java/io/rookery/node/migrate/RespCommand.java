package io.rookery.node.migrate;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Commands as RESP arrays of bulk strings, for what MIGRATE sends its target. A big argument (a
 * DUMP payload of megabytes) is not copied: {@link #appendParts} keeps it as a part of its own
 * between the framing around it, and the socket writes the parts one after the other.
 */
final class RespCommand {
    /** Arguments at least this long are sent as they are rather than copied into the framing. */
    private static final int OWN_PART = 16 * 1024;

    private RespCommand() {
    }

    /** The whole command in one array. */
    static byte[] encode(byte[]... args) {
        int size = header(args.length).length;
        for (byte[] a : args) {
            size += header('$', a.length).length + a.length + 2;
        }
        byte[] out = new byte[size];
        int pos = put(out, 0, header(args.length));
        for (byte[] a : args) {
            pos = put(out, pos, header('$', a.length));
            pos = put(out, pos, a);
            out[pos++] = '\r';
            out[pos++] = '\n';
        }
        return out;
    }

    /** Appends the command to {@code parts}: framing and small arguments copied, big arguments as their own parts. */
    static void appendParts(List<byte[]> parts, byte[]... args) {
        int from = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].length >= OWN_PART) {
                parts.add(framing(args, from, i, i == args.length ? -1 : args[i].length));
                if (i < args.length) {
                    parts.add(args[i]);
                }
                from = i + 1;
            }
        }
    }

    /**
     * The bytes of {@code args[from, to)} with their framing (the array header when {@code from} is 0,
     * the CRLF ending the big argument before {@code from} otherwise), then the bulk header of a big
     * argument of {@code bigLength} bytes to follow (none when negative).
     */
    private static byte[] framing(byte[][] args, int from, int to, int bigLength) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(from == 0 ? header(args.length) : new byte[] {'\r', '\n'});
        for (int i = from; i < to; i++) {
            out.writeBytes(header('$', args[i].length));
            out.writeBytes(args[i]);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        if (bigLength >= 0) {
            out.writeBytes(header('$', bigLength));
        }
        return out.toByteArray();
    }

    private static byte[] header(int count) {
        return header('*', count);
    }

    private static byte[] header(char kind, int n) {
        return (kind + Integer.toString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(byte[] out, int pos, byte[] b) {
        System.arraycopy(b, 0, out, pos, b.length);
        return pos + b.length;
    }
}
