package io.rookery.protocol;

/**
 * The closed set of RESP2 and RESP3 frame types, each owning its prefix byte.
 */
public enum RespType {
    SIMPLE_STRING('+'),
    ERROR('-'),
    INTEGER(':'),
    BULK_STRING('$'),
    ARRAY('*'),
    // RESP3
    NULL('_'),
    DOUBLE(','),
    BOOLEAN('#'),
    BLOB_ERROR('!'),
    VERBATIM('='),
    BIG_NUMBER('('),
    MAP('%'),
    SET('~'),
    ATTRIBUTE('|'),
    PUSH('>');

    private static final RespType[] BY_PREFIX = new RespType[128];

    static {
        for (RespType t : values()) {
            BY_PREFIX[t.prefix] = t;
        }
    }

    private final byte prefix;

    RespType(char prefix) {
        this.prefix = (byte) prefix;
    }

    public byte prefix() {
        return prefix;
    }

    /** The type owning {@code prefix}, or null when no RESP type starts with that byte. */
    public static RespType ofPrefix(byte prefix) {
        return prefix >= 0 ? BY_PREFIX[prefix] : null;
    }
}
