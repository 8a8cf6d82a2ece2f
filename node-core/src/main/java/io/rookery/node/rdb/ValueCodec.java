package io.rookery.node.rdb;

import io.rookery.node.keyspace.ValueType;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.TypeContext;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One value in RDB encoding: a type byte and its body. Writing uses the plain forms every Redis 7.0
 * loads (string; list, set and hash as counted strings; sorted set as ZSET_2 with binary doubles);
 * reading accepts those plus what Redis writes for compact values (listpack hashes and sorted sets,
 * intsets, quicklist-2 lists of listpack nodes) and the ziplist forms of files from before 7.0.
 *
 * <pre>
 * value    = type body
 * string   = rdb-string
 * list     = length *rdb-string                       ; type 1
 * set      = length *rdb-string                       ; type 2
 * zset2    = length *(rdb-string binary-double)       ; type 5
 * hash     = length *(rdb-string rdb-string)          ; type 4
 * quicklist2 = length *(container:length rdb-string)  ; type 18, container 1 plain, 2 listpack
 * stream   = see StreamCodec                           ; type 19 (read: 15 and 19)
 * </pre>
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    public static void write(RdbOutput out, Object value) {
        out.writeByte(typeByte(value));
        writeBody(out, value);
    }

    /** The RDB type byte {@link #write} uses for {@code value}. */
    public static int typeByte(Object value) {
        return switch (ValueType.of(value)) {
            case STRING -> RdbConstants.TYPE_STRING;
            case LIST -> RdbConstants.TYPE_LIST;
            case SET -> RdbConstants.TYPE_SET;
            case ZSET -> RdbConstants.TYPE_ZSET_2;
            case HASH -> RdbConstants.TYPE_HASH;
            case STREAM -> RdbConstants.TYPE_STREAM_LISTPACKS_2;
            default -> throw new IllegalArgumentException("cannot serialize " + ValueType.of(value));
        };
    }

    /**
     * The size of {@link #writeBody}'s output for {@code value} without compression (with it, at most
     * one byte more per string longer than 20 bytes, and usually less), or -1 when not known up front
     * (streams). One pass over the value that reads and allocates nothing else: it lets DUMP and
     * MIGRATE allocate a big value's payload once instead of growing (and copying) a buffer.
     */
    public static long bodySize(Object value) {
        long[] size = {0};
        switch (ValueType.of(value)) {
            case STRING -> size[0] = RdbOutput.stringSize((byte[]) value);
            case LIST -> {
                ListValue l = (ListValue) value;
                size[0] = RdbOutput.lengthSize(l.size());
                for (long i = 0, n = l.size(); i < n; i++) {
                    size[0] += RdbOutput.stringSize(l.get(i));
                }
            }
            case SET -> {
                SetValue set = (SetValue) value;
                size[0] = RdbOutput.lengthSize(set.size());
                set.forEach(m -> size[0] += RdbOutput.stringSize(m));
            }
            case ZSET -> {
                ZSetValue z = (ZSetValue) value;
                size[0] = RdbOutput.lengthSize(z.size());
                z.forEach(e -> size[0] += RdbOutput.stringSize(e.member()) + 8);
            }
            case HASH -> {
                HashValue h = (HashValue) value;
                size[0] = RdbOutput.lengthSize(h.size());
                h.forEach((f, v) -> size[0] += RdbOutput.stringSize(f) + RdbOutput.stringSize(v));
            }
            default -> size[0] = -1;
        }
        return size[0];
    }

    /** The value's body, after its type byte (and, in a file, after its key). */
    public static void writeBody(RdbOutput out, Object value) {
        switch (ValueType.of(value)) {
            case STRING -> out.writeString((byte[]) value);
            case LIST -> {
                ListValue l = (ListValue) value;
                long n = l.size();
                out.writeLength(n);
                for (long i = 0; i < n; i++) {
                    out.writeString(l.get(i));
                }
            }
            case SET -> {
                SetValue s = (SetValue) value;
                out.writeLength(s.size());
                s.forEach(out::writeString);
            }
            case ZSET -> {
                ZSetValue z = (ZSetValue) value;
                out.writeLength(z.size());
                z.forEach(e -> {
                    out.writeString(e.member());
                    out.writeDouble(e.score());
                });
            }
            case HASH -> {
                HashValue h = (HashValue) value;
                out.writeLength(h.size());
                h.forEach((f, v) -> {
                    out.writeString(f);
                    out.writeString(v);
                });
            }
            case STREAM -> StreamCodec.write(out, (io.rookery.node.types.StreamValue) value);
            default -> throw new IllegalArgumentException("cannot serialize " + ValueType.of(value));
        }
    }

    public static Object read(RdbInput in, TypeContext ctx) throws RdbFormatException {
        return readBody(in.readByte(), in, ctx);
    }

    public static Object readBody(int type, RdbInput in, TypeContext ctx) throws RdbFormatException {
        switch (type) {
            case RdbConstants.TYPE_STRING:
                return in.readString();
            case RdbConstants.TYPE_LIST: {
                ListValue l = new ListValue(ctx);
                long n = in.readLength();
                for (long i = 0; i < n; i++) {
                    l.pushTail(in.readString());
                }
                return nonEmpty(l, n);
            }
            case RdbConstants.TYPE_SET: {
                SetValue s = new SetValue(ctx);
                long n = in.readLength();
                s.reserve(Math.min(n, in.remaining())); // a member takes a byte at least: a corrupt count reserves no more
                for (long i = 0; i < n; i++) {
                    s.add(in.readString());
                }
                return nonEmpty(s, n);
            }
            case RdbConstants.TYPE_ZSET:
            case RdbConstants.TYPE_ZSET_2: {
                ZSetValue z = new ZSetValue(ctx);
                long n = in.readLength();
                for (long i = 0; i < n; i++) {
                    byte[] member = in.readString();
                    double score = type == RdbConstants.TYPE_ZSET_2 ? in.readBinaryDouble() : readStringDouble(in);
                    if (Double.isNaN(score)) {
                        throw new RdbFormatException("NaN score");
                    }
                    z.put(member, score);
                }
                return nonEmpty(z, n);
            }
            case RdbConstants.TYPE_HASH: {
                HashValue h = new HashValue(ctx);
                long n = in.readLength();
                h.reserve(Math.min(n, in.remaining() / 2)); // a pair takes two bytes at least: a corrupt count reserves no more
                for (long i = 0; i < n; i++) {
                    h.put(in.readString(), in.readString());
                }
                return nonEmpty(h, n);
            }
            case RdbConstants.TYPE_SET_INTSET: {
                SetValue s = new SetValue(ctx);
                PackedFormats.intset(in.readString()).forEach(s::add);
                return nonEmpty(s, s.size());
            }
            case RdbConstants.TYPE_HASH_LISTPACK:
            case RdbConstants.TYPE_HASH_ZIPLIST:
                return hashFromPairs(ctx, type == RdbConstants.TYPE_HASH_LISTPACK
                        ? PackedFormats.listpack(in.readString()) : PackedFormats.ziplist(in.readString()));
            case RdbConstants.TYPE_ZSET_LISTPACK:
            case RdbConstants.TYPE_ZSET_ZIPLIST:
                return zsetFromPairs(ctx, type == RdbConstants.TYPE_ZSET_LISTPACK
                        ? PackedFormats.listpack(in.readString()) : PackedFormats.ziplist(in.readString()));
            case RdbConstants.TYPE_LIST_ZIPLIST: {
                ListValue l = new ListValue(ctx);
                PackedFormats.ziplist(in.readString()).forEach(l::pushTail);
                return nonEmpty(l, l.size());
            }
            case RdbConstants.TYPE_LIST_QUICKLIST:
            case RdbConstants.TYPE_LIST_QUICKLIST_2: {
                ListValue l = new ListValue(ctx);
                long nodes = in.readLength();
                for (long i = 0; i < nodes; i++) {
                    long container = type == RdbConstants.TYPE_LIST_QUICKLIST_2 ? in.readLength() : 2;
                    byte[] blob = in.readString();
                    if (container == 1) {
                        l.pushTail(blob);
                    } else if (type == RdbConstants.TYPE_LIST_QUICKLIST_2) {
                        PackedFormats.listpack(blob).forEach(l::pushTail);
                    } else {
                        PackedFormats.ziplist(blob).forEach(l::pushTail);
                    }
                }
                return nonEmpty(l, l.size());
            }
            case RdbConstants.TYPE_STREAM_LISTPACKS:
            case RdbConstants.TYPE_STREAM_LISTPACKS_2:
                return StreamCodec.read(type, in, ctx);
            default:
                throw new RdbFormatException("unsupported value type " + type);
        }
    }

    private static Object nonEmpty(Object v, long n) throws RdbFormatException {
        if (n == 0) {
            throw new RdbFormatException("empty collection");
        }
        return v;
    }

    private static double readStringDouble(RdbInput in) throws RdbFormatException {
        int len = in.readByte();
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> {
                Double d = DoubleFormat.parse(in.readBytes(len));
                if (d == null) {
                    throw new RdbFormatException("bad double");
                }
                yield d;
            }
        };
    }

    private static HashValue hashFromPairs(TypeContext ctx, List<byte[]> items) throws RdbFormatException {
        if (items.isEmpty() || items.size() % 2 != 0) {
            throw new RdbFormatException("bad packed hash");
        }
        HashValue h = new HashValue(ctx);
        for (int i = 0; i < items.size(); i += 2) {
            h.put(items.get(i), items.get(i + 1));
        }
        return h;
    }

    private static ZSetValue zsetFromPairs(TypeContext ctx, List<byte[]> items) throws RdbFormatException {
        if (items.isEmpty() || items.size() % 2 != 0) {
            throw new RdbFormatException("bad packed sorted set");
        }
        ZSetValue z = new ZSetValue(ctx);
        for (int i = 0; i < items.size(); i += 2) {
            Double score = DoubleFormat.parse(items.get(i + 1));
            if (score == null) {
                throw new RdbFormatException("bad score " + new String(items.get(i + 1), StandardCharsets.ISO_8859_1));
            }
            z.put(items.get(i), score);
        }
        return z;
    }
}
