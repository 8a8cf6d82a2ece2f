package io.rookery.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes replies into a buffer in the client's protocol version. RESP3-only types fall back as Redis
 * 7.0 does under RESP2: maps become flat arrays, sets and pushes arrays, doubles bulk strings, booleans
 * integers, verbatim strings and big numbers bulk strings, and null a null bulk or null array.
 *
 * <p>One writer serves one connection; {@link #target} points it at the buffer to fill.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);

    private ByteBuf out;
    private int protocol = 2;

    public RespWriter target(ByteBuf out) {
        this.out = out;
        return this;
    }

    public ByteBuf target() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public void ok() {
        out.writeBytes(OK);
    }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    public void simple(byte[] s) {
        out.writeByte('+');
        out.writeBytes(s);
        out.writeBytes(CRLF);
    }

    /**
     * An error reply. {@code message} carries its own prefix ("ERR ...", "WRONGTYPE ..."); line breaks
     * are replaced by spaces so the reply stays one line, as Redis's addReplyErrorLength does.
     */
    public void error(String message) {
        out.writeByte('-');
        out.writeCharSequence(message.replace('\r', ' ').replace('\n', ' '), StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (v == 0) {
            out.writeBytes(ZERO);
        } else if (v == 1) {
            out.writeBytes(ONE);
        } else {
            out.writeByte(':');
            Numbers.writeLong(out, v);
            out.writeBytes(CRLF);
        }
    }

    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        out.writeByte('$');
        Numbers.writeLong(out, b.length);
        out.writeBytes(CRLF);
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    public void bulk(long v) {
        bulk(Numbers.toBytes(v));
    }

    /** A missing value: {@code $-1} in RESP2, {@code _} in RESP3. */
    public void nullBulk() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_BULK);
    }

    /** A missing aggregate: {@code *-1} in RESP2, {@code _} in RESP3. */
    public void nullArray() {
        out.writeBytes(protocol >= 3 ? NULL3 : NULL_ARRAY);
    }

    public void array(long n) {
        if (n == 0) {
            out.writeBytes(EMPTY_ARRAY);
            return;
        }
        header('*', n);
    }

    public void emptyArray() {
        out.writeBytes(EMPTY_ARRAY);
    }

    /** A map of {@code n} pairs; a flat array of 2n elements under RESP2. */
    public void map(long n) {
        if (protocol >= 3) {
            header('%', n);
        } else {
            array(n * 2);
        }
    }

    public void set(long n) {
        header(protocol >= 3 ? '~' : '*', n);
    }

    public void push(long n) {
        header(protocol >= 3 ? '>' : '*', n);
    }

    public void dbl(double d) {
        if (protocol >= 3) {
            out.writeByte(',');
            out.writeCharSequence(DoubleFormat.g17(d), StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(DoubleFormat.g17(d));
        }
    }

    public void bool(boolean b) {
        if (protocol >= 3) {
            out.writeCharSequence(b ? "#t\r\n" : "#f\r\n", StandardCharsets.US_ASCII);
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A verbatim string ("txt" or "mkd"); a plain bulk string under RESP2. */
    public void verbatim(String format, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (protocol >= 3) {
            out.writeByte('=');
            Numbers.writeLong(out, body.length + 4L);
            out.writeBytes(CRLF);
            out.writeCharSequence(format, StandardCharsets.US_ASCII);
            out.writeByte(':');
            out.writeBytes(body);
            out.writeBytes(CRLF);
        } else {
            bulk(body);
        }
    }

    public void bigNumber(String digits) {
        if (protocol >= 3) {
            out.writeByte('(');
            out.writeCharSequence(digits, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(digits);
        }
    }

    /** Bytes already encoded as RESP, copied as they are. */
    public void raw(byte[] encoded) {
        out.writeBytes(encoded);
    }

    private void header(char prefix, long n) {
        out.writeByte(prefix);
        Numbers.writeLong(out, n);
        out.writeBytes(CRLF);
    }
}
