package io.rookery.node.rdb;

import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.types.TypeContext;
import java.nio.charset.StandardCharsets;

/**
 * Loads an RDB file (versions up to 10, as Redis 7.0 writes) into the keyspace. The whole file is
 * checked before anything is trusted: the "REDIS" magic and version, every opcode and length against
 * what is left, and the CRC64 trailer when it is not zero. Keys already expired are skipped, as Redis
 * does on a primary. Module data and functions are refused with a clear error.
 */
public final class RdbLoader {
    private RdbLoader() {
    }

    /** What a load found. */
    public record Result(long keys, long expired, String redisVersion) {
    }

    public static Result load(byte[] data, Keyspace keyspace, TypeContext ctx, boolean verifyChecksum)
            throws RdbFormatException {
        return load(data, keyspace, ctx, verifyChecksum, false);
    }

    /**
     * As {@link #load(byte[], Keyspace, TypeContext, boolean)}; with {@code replaceDuplicates} a key
     * already in the keyspace takes the file's value (DEBUG RELOAD MERGE) instead of failing the load.
     */
    public static Result load(byte[] data, Keyspace keyspace, TypeContext ctx, boolean verifyChecksum,
            boolean replaceDuplicates) throws RdbFormatException {
        if (data.length < 9 || !new String(data, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        int version;
        try {
            version = Integer.parseInt(new String(data, 5, 4, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RdbFormatException("Can't handle RDB format version " + new String(data, 5, 4, StandardCharsets.US_ASCII));
        }
        if (version < 1 || version > RdbConstants.RDB_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + version);
        }
        RdbInput in = new RdbInput(data, 9, data.length);
        Database db = keyspace.db(0);
        long expireAt = -1;
        long keys = 0;
        long expired = 0;
        String redisVersion = "";
        long now = System.currentTimeMillis();
        while (true) {
            int type = in.readByte();
            switch (type) {
                case RdbConstants.OPCODE_EXPIRETIME_MS -> {
                    expireAt = in.readLittleEndian(8);
                    continue;
                }
                case RdbConstants.OPCODE_EXPIRETIME -> {
                    expireAt = in.readLittleEndian(4) * 1000;
                    continue;
                }
                case RdbConstants.OPCODE_IDLE -> {
                    in.readLength();
                    continue;
                }
                case RdbConstants.OPCODE_FREQ -> {
                    in.readByte();
                    continue;
                }
                case RdbConstants.OPCODE_SELECTDB -> {
                    long id = in.readLength();
                    if (id >= keyspace.count()) {
                        throw new RdbFormatException("FATAL: Data file was created with a Redis server configured to handle more than "
                                + keyspace.count() + " databases. Exiting");
                    }
                    db = keyspace.db((int) id);
                    continue;
                }
                case RdbConstants.OPCODE_RESIZEDB -> {
                    in.readLength();
                    in.readLength();
                    continue;
                }
                case RdbConstants.OPCODE_AUX -> {
                    String key = new String(in.readString(), StandardCharsets.UTF_8);
                    String value = new String(in.readString(), StandardCharsets.UTF_8);
                    if (key.equals("redis-ver")) {
                        redisVersion = value;
                    }
                    continue;
                }
                case RdbConstants.OPCODE_FUNCTION2 -> {
                    byte[] code = in.readString();
                    if (keyspace.functionStore() == null) {
                        throw new RdbFormatException("the file holds functions, which this node does not load");
                    }
                    try {
                        keyspace.functionStore().load(code, replaceDuplicates); // DEBUG RELOAD MERGE may replace a library
                    } catch (IllegalArgumentException e) {
                        throw new RdbFormatException("Failed loading library: " + e.getMessage());
                    }
                    continue;
                }
                case RdbConstants.OPCODE_MODULE_AUX, RdbConstants.OPCODE_FUNCTION ->
                        throw new RdbFormatException("the file holds module data or functions, which Rookery does not support");
                case RdbConstants.OPCODE_EOF -> {
                    verify(data, in.position(), verifyChecksum && version >= 5);
                    return new Result(keys, expired, redisVersion);
                }
                default -> {
                    byte[] key = in.readString();
                    Object value = ValueCodec.readBody(type, in, ctx);
                    if (expireAt >= 0 && expireAt < now) {
                        expired++;
                    } else {
                        if (replaceDuplicates && db.exists(key)) {
                            db.delete(key);
                        }
                        if (db.exists(key)) {
                            throw new RdbFormatException("duplicate key '" + new String(key, StandardCharsets.UTF_8) + "'");
                        }
                        db.add(key, value);
                        if (expireAt >= 0) {
                            db.expireAt(key, expireAt);
                        }
                        keys++;
                    }
                    expireAt = -1;
                }
            }
        }
    }

    private static void verify(byte[] data, int end, boolean check) throws RdbFormatException {
        if (!check) {
            return;
        }
        if (end + 8 > data.length) {
            throw new RdbFormatException("Short read or OOM loading DB. Unrecoverable error, aborting now.");
        }
        long expected = 0;
        for (int i = 0; i < 8; i++) {
            expected |= (long) (data[end + i] & 0xff) << (8 * i);
        }
        if (expected != 0 && expected != Crc64.of(data, 0, end)) {
            throw new RdbFormatException("Wrong RDB checksum. Aborting now.");
        }
    }
}
