package io.rookery.node.rdb;

/**
 * The DUMP/RESTORE payload, Redis's format: the value in RDB encoding (type byte + body), then the
 * RDB version as 2 bytes little-endian, then the CRC64 of everything before it, 8 bytes little-endian.
 */
public final class DumpPayload {
    private DumpPayload() {
    }

    public static byte[] create(Object value, boolean compress) {
        RdbOutput out = new RdbOutput(compress);
        ValueCodec.write(out, value);
        out.writeLittleEndian(RdbConstants.RDB_VERSION, 2);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        out.writeLittleEndian(crc, 8);
        return out.toByteArray();
    }

    /** True when the footer carries a version we read and a matching checksum (verifyDumpPayload). */
    public static boolean verify(byte[] payload) {
        return verify(payload, true);
    }

    /** As {@link #verify(byte[])}; without {@code checkCrc} only the version is checked (DEBUG SET-SKIP-CHECKSUM-VALIDATION 1). */
    public static boolean verify(byte[] payload, boolean checkCrc) {
        if (payload.length < 10) {
            return false;
        }
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RdbConstants.RDB_VERSION) {
            return false;
        }
        if (!checkCrc) {
            return true;
        }
        long crc = 0;
        for (int i = 0; i < 8; i++) {
            crc |= (long) (payload[footer + 2 + i] & 0xff) << (8 * i);
        }
        return crc == Crc64.of(payload, 0, payload.length - 8);
    }

    /** Decodes a verified payload's value; the whole body must be consumed. */
    public static Object read(byte[] payload, io.rookery.node.types.TypeContext ctx) throws RdbFormatException {
        RdbInput in = new RdbInput(payload, 0, payload.length - 10);
        Object v = ValueCodec.read(in, ctx);
        if (!in.atEnd()) {
            throw new RdbFormatException("trailing bytes in payload");
        }
        return v;
    }
}
