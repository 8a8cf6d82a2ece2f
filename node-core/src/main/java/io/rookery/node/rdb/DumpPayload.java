package io.rookery.node.rdb;

/**
 * The DUMP/RESTORE payload, Redis's format: the value in RDB encoding (type byte + body), then the
 * RDB version as 2 bytes little-endian, then the CRC64 of everything before it, 8 bytes little-endian.
 */
public final class DumpPayload {
    /** RDB version (2 bytes) and CRC64 (8 bytes). */
    static final int FOOTER = 10;

    private DumpPayload() {
    }

    /**
     * The payload of {@code value}. Its buffer is sized from {@link ValueCodec#bodySize} first, so a
     * big value is written into one exactly-sized array (no growing, no copies: a copy of a payload of
     * tens of megabytes costs a full collection in a tight heap) and checksummed in place.
     */
    public static byte[] create(Object value, boolean compress) {
        long body = ValueCodec.bodySize(value);
        long size = body < 0 ? 256 : 1 + body + FOOTER;
        RdbOutput out = new RdbOutput(compress, (int) Math.min(size, Integer.MAX_VALUE - 16));
        ValueCodec.write(out, value);
        out.writeLittleEndian(RdbConstants.RDB_VERSION, 2);
        out.writeLittleEndian(out.crc64(), 8);
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
