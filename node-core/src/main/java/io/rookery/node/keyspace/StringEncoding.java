package io.rookery.node.keyspace;

import io.rookery.protocol.Numbers;

/**
 * How Redis would encode a string value: "int" for a canonical 64-bit integer of up to 20 chars,
 * "embstr" up to 44 bytes, "raw" above. Strings are stored as plain arrays; the encoding is derived.
 */
public final class StringEncoding {
    private StringEncoding() {
    }

    /** The encoding of a stored string; {@code meta} carries the "modified in place" flag. */
    public static String of(byte[] value, int meta) {
        if ((meta & AccessMeta.RAW_STRING) != 0) {
            return "raw";
        }
        return of(value);
    }

    public static String of(byte[] value) {
        if (value.length <= 20 && Numbers.isLong(value)) {
            return "int";
        }
        return value.length <= 44 ? "embstr" : "raw";
    }
}
