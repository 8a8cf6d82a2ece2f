package io.rookery.node.keyspace;

/**
 * Approximate heap bytes of keys and values, for used_memory, MEMORY USAGE and maxmemory. Sizes
 * follow a 64-bit JVM with compressed references: 16-byte array headers, 8-byte alignment.
 */
public final class MemoryEstimate {
    /** A table entry (header, key, hash, value, next, meta) plus its share of the bucket array. */
    public static final long ENTRY = 32 + 4;
    /** A boxed expiry time in the expires table plus its entry. */
    public static final long EXPIRE = ENTRY + 16;

    private MemoryEstimate() {
    }

    public static long array(int length) {
        return (16L + length + 7) & ~7L;
    }

    public static long value(Object value) {
        if (value instanceof byte[] b) {
            return array(b.length);
        }
        return ((TypedValue) value).memoryUsage();
    }

    public static long entry(byte[] key, Object value) {
        return ENTRY + array(key.length) + value(value);
    }
}
