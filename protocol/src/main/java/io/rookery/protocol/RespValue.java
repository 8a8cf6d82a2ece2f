package io.rookery.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A decoded RESP2/RESP3 reply. A closed set: each record is one wire type.
 */
public sealed interface RespValue {

    record SimpleString(String value) implements RespValue {
    }

    record Error(String message) implements RespValue {
    }

    record Integer(long value) implements RespValue {
    }

    /** A binary-safe string; equal when the bytes are equal. */
    record BulkString(byte[] value) implements RespValue {
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString b && java.util.Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "BulkString[" + new String(value, StandardCharsets.ISO_8859_1) + "]";
        }
    }

    record Array(List<RespValue> elements) implements RespValue {
    }

    /** RESP2's {@code $-1} and {@code *-1}, RESP3's {@code _}. */
    record Null() implements RespValue {
    }

    record Double(double value) implements RespValue {
    }

    record Boolean(boolean value) implements RespValue {
    }

    record BlobError(String message) implements RespValue {
    }

    record Verbatim(String format, String text) implements RespValue {
    }

    /** The digits as sent: a script may reply any text as a big number (Redis writes it unchecked). */
    record BigNumber(String value) implements RespValue {
    }

    /** Keys and values alternate in {@code entries}: k0, v0, k1, v1, ... */
    record Map(List<RespValue> entries) implements RespValue {
    }

    record Set(List<RespValue> elements) implements RespValue {
    }

    record Push(List<RespValue> elements) implements RespValue {
    }

    /** An attribute map that precedes the reply it annotates. */
    record Attribute(List<RespValue> entries, RespValue reply) implements RespValue {
    }
}
