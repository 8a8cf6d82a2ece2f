package io.rookery.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes client requests as Redis 7.0's {@code processInputBuffer} does. A request is either a
 * multibulk or an inline line:
 *
 * <pre>
 * request   = multibulk | inline
 * multibulk = "*" count CRLF *( "$" length CRLF bytes CRLF )      ; count &lt;= 0 is an empty request
 * inline    = *( arg *SP ) [CR] LF                                  ; args split as sdssplitargs does
 * </pre>
 *
 * <p>The decoder is a state machine fed with whatever bytes have arrived: {@link #decode} returns the
 * next complete request, or null when more input is needed, keeping its place between calls, so input
 * may be cut at any byte. Limits and error texts are Redis's; after a {@link ProtocolException} the
 * connection must be closed.
 *
 * <p>Bulk bodies are copied out of the input as they arrive into one array of the declared length,
 * allocated when the length line is read (as Redis preallocates big arguments), so the caller's
 * buffer never has to hold a whole big value and reading one costs time linear in its size. A
 * {@link BulkAdmission} may refuse to hold a big bulk (the heap cannot take it): its bytes are then
 * read and dropped, and the request comes back with {@link #refused()} true, for the caller to
 * answer with an error instead of running it.
 */
public final class RequestDecoder {
    private static final byte[][] EMPTY = new byte[0][];

    /** Bulks at least this long are offered to the {@link BulkAdmission} (Redis's PROTO_MBULK_BIG_ARG). */
    public static final int BIG_BULK = 32 * 1024;

    /** Decides whether a big bulk of a declared length may be held in memory. */
    @FunctionalInterface
    public interface BulkAdmission {
        BulkAdmission ALWAYS = length -> true;

        boolean admit(long length);
    }

    private ProtocolLimits limits;
    private boolean authenticated = true;
    private BulkAdmission admission = BulkAdmission.ALWAYS;

    // state of a multibulk in progress
    private byte[][] args;
    private int argIndex;
    private int expected;
    private long bulkLength = -1;
    private byte[] bulk; // the body being filled; null while a refused bulk is dropped
    private int filled;
    private boolean refusing;
    private boolean refused;

    public RequestDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /** Who decides whether big bulks may be held; by default every one is. */
    public void admission(BulkAdmission admission) {
        this.admission = admission;
    }

    /**
     * True when the request {@link #decode} returned last carried a bulk the admission refused: its
     * bytes were dropped (the array holds null in its place) and it must not run.
     */
    public boolean refused() {
        return refused;
    }

    /** Bytes of a bulk in progress already taken out of the input (for query buffer accounting). */
    public long pendingBulkBytes() {
        return bulkLength >= 0 ? filled : 0;
    }

    /**
     * True while a multibulk request is partly decoded (its start came in an earlier buffer): the next
     * request {@link #decode} returns did not come whole from the buffer it is given.
     */
    public boolean midRequest() {
        return args != null;
    }

    /** The length of the bulk in progress, -1 when none (for query buffer accounting). */
    public long bulkInProgress() {
        return bulkLength;
    }

    public void limits(ProtocolLimits limits) {
        this.limits = limits;
    }

    /** Before AUTH (when a password is set) the smaller unauthenticated limits apply. */
    public void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /**
     * Returns the next complete request (possibly empty, which callers skip), or null when the buffer
     * holds only part of one. Consumes the bytes of the returned request, and of a request in
     * progress as far as it has arrived.
     */
    public byte[][] decode(ByteBuf in) throws ProtocolException {
        if (args == null) {
            refused = false;
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) != '*') {
                return decodeInline(in);
            }
            if (!readCount(in)) {
                return null;
            }
            if (args == null) {
                return EMPTY;
            }
            refusing = false;
        }
        while (argIndex < expected) {
            if (bulkLength < 0) {
                if (!readBulkLength(in)) {
                    return null;
                }
                startBulk();
            }
            if (!readBulkBody(in)) {
                return null;
            }
        }
        byte[][] done = args;
        args = null;
        refused = refusing;
        return done;
    }

    /** Allocates the body of the bulk whose length was just read, or starts dropping it when refused. */
    private void startBulk() {
        filled = 0;
        if (bulkLength >= BIG_BULK && !refusing && !admission.admit(bulkLength)) {
            refusing = true;
        }
        bulk = refusing ? null : new byte[(int) bulkLength];
    }

    /** Copies what has arrived of the body; true once the body and its CRLF are in. */
    private boolean readBulkBody(ByteBuf in) {
        int n = (int) Math.min(bulkLength - filled, in.readableBytes());
        if (bulk != null) {
            in.readBytes(bulk, filled, n);
        } else {
            in.skipBytes(n);
        }
        filled += n;
        if (filled < bulkLength || in.readableBytes() < 2) {
            return false;
        }
        in.skipBytes(2);
        args[argIndex++] = bulk;
        bulk = null;
        bulkLength = -1;
        return true;
    }

    /** Reads "*count\r\n"; false when the line is incomplete. Leaves {@code args} null for count &lt;= 0. */
    private boolean readCount(ByteBuf in) throws ProtocolException {
        int cr = findCr(in);
        if (cr < 0) {
            if (in.readableBytes() > limits.maxInlineLength()) {
                throw new ProtocolException("Protocol error: too big mbulk count string");
            }
            return false;
        }
        if (cr + 2 > in.writerIndex()) {
            return false;
        }
        long count = Numbers.parse(in, in.readerIndex() + 1, cr);
        if (count == Numbers.INVALID || count > Integer.MAX_VALUE) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        if (!authenticated && count > limits.unauthenticatedMaxArgs()) {
            throw new ProtocolException("Protocol error: unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        if (count > 0) {
            // Never trust a count for allocation: a huge one grows the array as arguments arrive.
            expected = (int) count;
            args = new byte[Math.min(expected, 1024)][];
            argIndex = 0;
            bulkLength = -1;
        }
        return true;
    }

    private boolean readBulkLength(ByteBuf in) throws ProtocolException {
        if (!in.isReadable()) {
            return false;
        }
        int cr = findCr(in);
        if (cr < 0) {
            if (in.readableBytes() > limits.maxInlineLength()) {
                throw new ProtocolException("Protocol error: too big bulk count string");
            }
            return false;
        }
        if (cr + 2 > in.writerIndex()) {
            return false;
        }
        byte first = in.getByte(in.readerIndex());
        if (first != '$') {
            throw new ProtocolException("Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
        }
        long len = Numbers.parse(in, in.readerIndex() + 1, cr);
        if (len == Numbers.INVALID || len < 0 || len > limits.maxBulkLength() || len > Integer.MAX_VALUE - 16) {
            throw new ProtocolException("Protocol error: invalid bulk length");
        }
        if (!authenticated && len > limits.unauthenticatedMaxBulk()) {
            throw new ProtocolException("Protocol error: unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = len;
        if (argIndex == args.length) {
            args = java.util.Arrays.copyOf(args, (int) Math.min((long) args.length * 2, expected));
        }
        return true;
    }

    private static int findCr(ByteBuf in) {
        return in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_CR);
    }

    // ---------------------------------------------------------------- inline requests

    private byte[][] decodeInline(ByteBuf in) throws ProtocolException {
        int lf = in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > limits.maxInlineLength()) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return null;
        }
        int end = lf;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(lf + 1);
        List<byte[]> split = splitArgs(line);
        if (split == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        return split.toArray(EMPTY);
    }

    /**
     * Splits a line into arguments as Redis's {@code sdssplitargs}: spaces separate, "double quotes"
     * take C escapes (\n \r \t \b \a \\ \" \xHH), 'single quotes' take only \'. A closing quote must be
     * followed by a space or the end. Returns null for unbalanced quotes.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        int n = line.length;
        while (true) {
            while (p < n && isSpace(line[p])) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (p >= n) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        cur.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        byte e = line[p];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (p >= n) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (p >= n) {
                        done = true;
                        break;
                    }
                    byte c = line[p];
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(c);
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hex(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
