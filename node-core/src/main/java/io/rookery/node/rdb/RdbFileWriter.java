package io.rookery.node.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB file as Redis 7.0 does, to a stream, keeping the CRC64 of everything written:
 *
 * <pre>
 * rdb     = "REDIS0010" *aux *db-part EOF checksum
 * aux     = 0xFA rdb-string rdb-string                     ; redis-ver, redis-bits, ctime, used-mem, aof-base
 * db-part = 0xFE length [0xFB length length] *entry         ; SELECTDB, RESIZEDB (db size, expires size)
 * entry   = [0xFC u64le-unix-ms] value-type rdb-string value ; EXPIRETIME_MS, then key and value
 * EOF     = 0xFF
 * checksum = u64le CRC-64/Jones of all preceding bytes (0 when rdbchecksum is off)
 * </pre>
 * A database may be selected more than once (the fork-less snapshot interleaves them); loaders,
 * Redis's included, simply switch database at each SELECTDB.
 */
public final class RdbFileWriter {
    private final OutputStream out;
    private final boolean checksum;
    private long crc;
    private long written;

    public RdbFileWriter(OutputStream out, boolean checksum) {
        this.out = out;
        this.checksum = checksum;
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        if (checksum) {
            crc = Crc64.update(crc, bytes, 0, bytes.length);
        }
        written += bytes.length;
    }

    public long written() {
        return written;
    }

    /** The file header and Redis 7.0's auxiliary fields. */
    public static byte[] header(long usedMemory, boolean compress) {
        return header(usedMemory, compress, false);
    }

    /** The header; {@code aofBase} marks the file as the RDB preamble of an AOF base (aux aof-base 1). */
    public static byte[] header(long usedMemory, boolean compress, boolean aofBase) {
        RdbOutput o = new RdbOutput(compress);
        o.writeBytes(("REDIS" + String.format("%04d", RdbConstants.RDB_VERSION)).getBytes(StandardCharsets.US_ASCII));
        aux(o, "redis-ver", io.rookery.node.NodeVersion.REDIS_VERSION);
        aux(o, "redis-bits", "64");
        aux(o, "ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux(o, "used-mem", Long.toString(usedMemory));
        aux(o, "aof-base", aofBase ? "1" : "0");
        return o.toByteArray();
    }

    private static void aux(RdbOutput o, String key, String value) {
        o.writeByte(RdbConstants.OPCODE_AUX);
        o.writeString(key.getBytes(StandardCharsets.US_ASCII));
        o.writeString(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** SELECTDB, with RESIZEDB hints when the sizes are known (negative: omitted). */
    public static void selectDb(RdbOutput o, int db, long size, long expires) {
        o.writeByte(RdbConstants.OPCODE_SELECTDB);
        o.writeLength(db);
        if (size >= 0) {
            o.writeByte(RdbConstants.OPCODE_RESIZEDB);
            o.writeLength(size);
            o.writeLength(expires);
        }
    }

    /** One key: its expiry (when it has one), then type, key and value. */
    public static void entry(RdbOutput o, byte[] key, Object value, long expireAtMillis) {
        if (expireAtMillis >= 0) {
            o.writeByte(RdbConstants.OPCODE_EXPIRETIME_MS);
            o.writeLittleEndian(expireAtMillis, 8);
        }
        o.writeByte(ValueCodec.typeByte(value));
        o.writeString(key);
        ValueCodec.writeBody(o, value);
    }

    /** EOF opcode and the checksum trailer. */
    public void finish() throws IOException {
        write(new byte[]{(byte) RdbConstants.OPCODE_EOF});
        byte[] trailer = new byte[8];
        long c = checksum ? crc : 0;
        for (int i = 0; i < 8; i++) {
            trailer[i] = (byte) (c >>> (8 * i));
        }
        out.write(trailer);
        written += 8;
    }
}
