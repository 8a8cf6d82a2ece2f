package io.rookery.gateway;

import java.util.Arrays;

/** A key as a map key: its bytes, compared by content (keys are binary, never decoded). */
final class KeyBytes {
    private final byte[] bytes;
    private final int hash;

    KeyBytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    /** Whether this key starts with {@code prefix} (an empty prefix matches every key). */
    boolean startsWith(byte[] prefix) {
        return prefix.length <= bytes.length && Arrays.equals(prefix, 0, prefix.length, bytes, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
