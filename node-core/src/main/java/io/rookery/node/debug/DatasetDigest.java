package io.rookery.node.debug;

import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.keyspace.ValueType;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DIGEST-VALUE: Redis 7.0's dataset signature (debug.c), so the same data gives the
 * same 40 hex digits here and in Redis whatever the encodings. Two primitives build it: <em>xor</em>
 * (the SHA1 of some bytes xored into the digest, for unordered members: sets, hash fields, zset
 * members, keys) and <em>mix</em> (xor, then the digest replaced by its own SHA1, for ordered data:
 * list elements, and each key's type, name and value). A hash field or zset member is its own digest
 * (mix of field then value, or member then score as %.17g) xored in; per key: mix(type as 4
 * big-endian bytes), then the value, then xor("!!expire!!") when the key has a TTL; per non-empty
 * database: mix(db id) into the result, then each key's digest (started from mix(key name)) xored in.
 */
public final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private DatasetDigest() {
    }

    /** The whole dataset's digest as 40 hex digits ("000...0" when empty). */
    public static String of(Keyspace keyspace) {
        byte[] result = new byte[20];
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(i);
            if (db.size() == 0) {
                continue;
            }
            mix(result, int32(i));
            db.forEach(e -> {
                byte[] d = new byte[20];
                mix(d, e.key());
                value(d, e.value(), db.expireAt(e.key()) >= 0);
                xor(result, sha1(d));
            });
        }
        return HexFormat.of().formatHex(result);
    }

    /** The digest of one key's value (type, contents, TTL mark) as 40 hex digits; zeros when missing. */
    public static String ofValue(Database db, byte[] key) {
        byte[] d = new byte[20];
        var entry = db.entry(key);
        if (entry != null) {
            value(d, entry.value(), db.expireAt(key) >= 0);
        }
        return HexFormat.of().formatHex(d);
    }

    private static void value(byte[] digest, Object value, boolean volatileKey) {
        ValueType type = ValueType.of(value);
        mix(digest, int32(redisTypeCode(type)));
        switch (type) {
            case STRING -> mix(digest, (byte[]) value);
            case LIST -> {
                for (byte[] element : ((ListValue) value).toArray()) {
                    mix(digest, element);
                }
            }
            case SET -> ((SetValue) value).forEach(member -> xor(digest, sha1(member)));
            case ZSET -> ((ZSetValue) value).forEach(e -> {
                byte[] element = new byte[20];
                mix(element, e.member());
                mix(element, DoubleFormat.g17(e.score()).getBytes(StandardCharsets.US_ASCII));
                xor(digest, sha1(element));
            });
            case HASH -> ((HashValue) value).forEach((field, v) -> {
                byte[] element = new byte[20];
                mix(element, field);
                mix(element, v);
                xor(digest, sha1(element));
            });
            case STREAM -> ((io.rookery.node.types.StreamValue) value).range(io.rookery.node.types.StreamId.MIN,
                    io.rookery.node.types.StreamId.MAX).forEach((id, fv) -> {
                        mix(digest, (Long.toUnsignedString(id.ms()) + "." + Long.toUnsignedString(id.seq()))
                                .getBytes(StandardCharsets.US_ASCII));
                        for (byte[] b : fv) {
                            mix(digest, b);
                        }
                    });
        }
        if (volatileKey) {
            xor(digest, sha1(EXPIRE_MARK));
        }
    }

    /** Redis's OBJ_* type numbers (server.h), which the digest includes. */
    private static int redisTypeCode(ValueType type) {
        return switch (type) {
            case STRING -> 0;
            case LIST -> 1;
            case SET -> 2;
            case ZSET -> 3;
            case HASH -> 4;
            case STREAM -> 6;
        };
    }

    private static void mix(byte[] digest, byte[] data) {
        xor(digest, sha1(data));
        System.arraycopy(sha1(digest), 0, digest, 0, 20);
    }

    private static void xor(byte[] digest, byte[] hash) {
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    private static byte[] int32(int n) {
        return new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-1", e);
        }
    }
}
