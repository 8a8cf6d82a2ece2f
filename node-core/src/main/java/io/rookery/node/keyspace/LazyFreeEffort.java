package io.rookery.node.keyspace;

/**
 * How much work freeing a value takes, as Redis's lazyfreeGetFreeEffort counts it (allocations: the
 * elements of a hash table or skiplist, a quicklist's nodes, a stream's radix tree nodes plus its
 * groups' pending entries; 1 for strings and packed encodings). UNLINK frees a value "lazily", counted
 * in INFO's {@code lazyfreed_objects}, when the effort exceeds {@link #THRESHOLD}.
 */
public final class LazyFreeEffort {
    /** Redis's LAZYFREE_THRESHOLD. */
    public static final long THRESHOLD = 64;

    /** Elements per quicklist node assumed for the effort of a list (Redis counts nodes of ~8 KB). */
    private static final long LIST_ELEMENTS_PER_NODE = 128;

    private LazyFreeEffort() {
    }

    public static long of(Object value) {
        if (!(value instanceof TypedValue t)) {
            return 1;
        }
        return switch (t.type()) {
            case LIST -> t.encoding().equals("quicklist") ? Math.max(1, t.size() / LIST_ELEMENTS_PER_NODE) : 1;
            case SET, HASH -> t.encoding().equals("hashtable") ? t.size() : 1;
            case ZSET -> t.encoding().equals("skiplist") ? t.size() : 1;
            case STREAM -> ((io.rookery.node.types.StreamValue) t).freeEffort();
            case STRING -> 1;
        };
    }
}
