package io.rookery.node.keyspace;

/**
 * What the keyspace tells the rest of the engine: keys that expired (lazily or actively). Persistence,
 * replication and keyspace notifications subscribe here; the keyspace knows none of them.
 */
public interface KeyspaceObserver {
    KeyspaceObserver NONE = (db, key) -> { };

    void keyExpired(Database db, byte[] key);

    /** A key was created or given a new value object (lists and sorted sets may wake blocked clients). */
    default void keyAdded(Database db, byte[] key, Object value) {
    }

    /** A key that did not exist was created (keyspace event "new"). */
    default void keyCreated(Database db, byte[] key) {
    }

    /** A database was emptied (FLUSHDB, a full resync...), or every database when {@code db} is -1. */
    default void flushed(int db) {
    }
}
