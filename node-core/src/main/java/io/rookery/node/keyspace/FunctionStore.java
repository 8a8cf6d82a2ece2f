package io.rookery.node.keyspace;

/**
 * What loading a dataset needs of the function libraries (kept by scripting, saved with the
 * keyspace): load one library read from an RDB, and drop them all when a whole dataset replaces the
 * current one (DEBUG RELOAD, a replica's full resynchronization), as Redis's emptyData does.
 */
public interface FunctionStore {
    /**
     * Loads a library; with {@code replace} a library of the same name is replaced, otherwise it is an
     * error (IllegalArgumentException with Redis's text), as Redis's rdbFunctionLoad without/with ALLOW_DUP.
     */
    void load(byte[] code, boolean replace);

    /** Drops every library. */
    void clear();
}
