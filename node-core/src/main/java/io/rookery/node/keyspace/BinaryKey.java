package io.rookery.node.keyspace;

import java.util.Arrays;

/** A byte string with value equality, for Java collections keyed by binary data. */
public record BinaryKey(byte[] bytes) implements Comparable<BinaryKey> {
    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(BinaryKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
