package io.rookery.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes replies of every RESP2 and RESP3 type into {@link RespValue}s, for clients (tests, the
 * control plane, the gateway). {@link #read} returns null and consumes nothing until a whole reply has
 * arrived, so input may be cut at any byte.
 *
 * <pre>
 * reply    = simple / error / integer / bulk / array / null / double / boolean / blob-error
 *          / verbatim / big-number / map / set / attribute / push
 * simple   = "+" line          error = "-" line        integer = ":" line
 * bulk     = "$" len CRLF bytes CRLF | "$-1" CRLF       array   = "*" n CRLF n*reply | "*-1" CRLF
 * null     = "_" CRLF           double = "," line      boolean = "#" ("t"|"f") CRLF
 * map      = "%" n CRLF 2n*reply                        set/push = ("~"|">") n CRLF n*reply
 * </pre>
 */
public final class RespReader {
    private static final int MAX_DEPTH = 64;

    /** Reads one complete reply, or returns null (consuming nothing) when more input is needed. */
    public RespValue read(ByteBuf in) throws ProtocolException {
        int start = in.readerIndex();
        try {
            RespValue v = parse(in, 0);
            if (v == null) {
                in.readerIndex(start);
            }
            return v;
        } catch (ProtocolException e) {
            in.readerIndex(start);
            throw e;
        }
    }

    private RespValue parse(ByteBuf in, int depth) throws ProtocolException {
        if (depth > MAX_DEPTH) {
            throw new ProtocolException("Protocol error: nesting too deep");
        }
        if (!in.isReadable()) {
            return null;
        }
        byte prefix = in.getByte(in.readerIndex());
        RespType type = RespType.ofPrefix(prefix);
        if (type == null) {
            throw new ProtocolException("Protocol error: unknown reply type '" + (char) (prefix & 0xff) + "'");
        }
        String line = readLine(in);
        if (line == null) {
            return null;
        }
        switch (type) {
            case SIMPLE_STRING:
                return new RespValue.SimpleString(line);
            case ERROR:
                return new RespValue.Error(line);
            case INTEGER:
                return new RespValue.Integer(parseLong(line));
            case NULL:
                return new RespValue.Null();
            case DOUBLE:
                return new RespValue.Double(parseDouble(line));
            case BOOLEAN:
                if (!line.equals("t") && !line.equals("f")) {
                    throw new ProtocolException("Protocol error: invalid boolean");
                }
                return new RespValue.Boolean(line.equals("t"));
            case BIG_NUMBER:
                try {
                    new BigInteger(line); // validates the digits
                    return new RespValue.BigNumber(line);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("Protocol error: invalid big number");
                }
            case BULK_STRING:
            case BLOB_ERROR:
            case VERBATIM: {
                long len = parseLong(line);
                if (len == -1 && type == RespType.BULK_STRING) {
                    return new RespValue.Null();
                }
                if (len < 0 || len > Integer.MAX_VALUE - 2) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                if (in.readableBytes() < len + 2) {
                    return null;
                }
                byte[] body = new byte[(int) len];
                in.readBytes(body);
                if (in.readByte() != '\r' || in.readByte() != '\n') {
                    throw new ProtocolException("Protocol error: bulk not terminated by CRLF");
                }
                if (type == RespType.BULK_STRING) {
                    return new RespValue.BulkString(body);
                }
                String text = new String(body, StandardCharsets.UTF_8);
                if (type == RespType.BLOB_ERROR) {
                    return new RespValue.BlobError(text);
                }
                if (text.length() < 4 || text.charAt(3) != ':') {
                    throw new ProtocolException("Protocol error: invalid verbatim string");
                }
                return new RespValue.Verbatim(text.substring(0, 3), text.substring(4));
            }
            case ARRAY:
            case SET:
            case PUSH:
            case MAP:
            case ATTRIBUTE: {
                long n = parseLong(line);
                if (n == -1 && type == RespType.ARRAY) {
                    return new RespValue.Null();
                }
                if (n < 0 || n > Integer.MAX_VALUE / 2) {
                    throw new ProtocolException("Protocol error: invalid multibulk length");
                }
                long count = (type == RespType.MAP || type == RespType.ATTRIBUTE) ? n * 2 : n;
                List<RespValue> items = new ArrayList<>((int) Math.min(count, 1024));
                for (long i = 0; i < count; i++) {
                    RespValue item = parse(in, depth + 1);
                    if (item == null) {
                        return null;
                    }
                    items.add(item);
                }
                switch (type) {
                    case ARRAY:
                        return new RespValue.Array(items);
                    case SET:
                        return new RespValue.Set(items);
                    case PUSH:
                        return new RespValue.Push(items);
                    case MAP:
                        return new RespValue.Map(items);
                    default: {
                        RespValue annotated = parse(in, depth + 1);
                        return annotated == null ? null : new RespValue.Attribute(items, annotated);
                    }
                }
            }
            default:
                throw new ProtocolException("Protocol error: unexpected type " + type);
        }
    }

    /** Reads the rest of the current line after the prefix byte; null when no CRLF has arrived. */
    private static String readLine(ByteBuf in) throws ProtocolException {
        int cr = in.forEachByte(in.readerIndex(), in.readableBytes(), ByteProcessor.FIND_CR);
        if (cr < 0 || cr + 1 >= in.writerIndex()) {
            return null;
        }
        if (in.getByte(cr + 1) != '\n') {
            throw new ProtocolException("Protocol error: line not terminated by CRLF");
        }
        String line = in.toString(in.readerIndex() + 1, cr - in.readerIndex() - 1, StandardCharsets.UTF_8);
        in.readerIndex(cr + 2);
        return line;
    }

    private static long parseLong(String s) throws ProtocolException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProtocolException("Protocol error: invalid number '" + s + "'");
        }
    }

    private static double parseDouble(String s) throws ProtocolException {
        switch (s) {
            case "inf":
                return java.lang.Double.POSITIVE_INFINITY;
            case "-inf":
                return java.lang.Double.NEGATIVE_INFINITY;
            case "nan":
                return java.lang.Double.NaN;
            default:
                try {
                    return java.lang.Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("Protocol error: invalid double '" + s + "'");
                }
        }
    }
}
