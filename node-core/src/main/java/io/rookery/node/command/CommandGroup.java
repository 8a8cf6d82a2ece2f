package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.pubsub.KeyspaceNotifications;

/**
 * What every family of commands shares: the {@link CommandBasics} (config, keyspace, the gate's change
 * counter and propagation, keyspace notifications), the client's database and typed lookups. A family
 * that needs more takes those parts in its own constructor.
 */
abstract class CommandGroup {
    protected final NodeConfig config;
    protected final Keyspace keyspace;
    protected final Dispatcher dispatcher;
    protected final KeyspaceNotifications notifications;
    private final boolean clusterMode;

    CommandGroup(CommandBasics basics) {
        this.config = basics.config();
        this.keyspace = basics.keyspace();
        this.dispatcher = basics.dispatcher();
        this.notifications = basics.notifications();
        this.clusterMode = config.parameter("cluster-enabled").get().equals("yes");
    }

    protected Database db(Client c) {
        return keyspace.db(c.db);
    }

    /**
     * Cluster mode: only database 0 exists for clients (SELECT, MOVE, SWAPDB, COPY ... DB refuse) and
     * PUBLISH travels over the bus. {@code cluster-enabled} is a start-up setting, so it is read once.
     */
    protected boolean clusterMode() {
        return clusterMode;
    }

    /** Counts changes for rdb_changes_since_last_save (and later propagation). */
    protected void dirty(long changes) {
        dispatcher.dirty(changes);
    }

    /** The string at {@code key} for a read, null when missing, WRONGTYPE for other types. */
    protected static byte[] readString(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw Errors.wrongType();
    }

    /** The string at {@code key} for a write, null when missing, WRONGTYPE for other types. */
    protected static byte[] writeString(Database db, byte[] key) {
        Object v = db.getForWrite(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw Errors.wrongType();
    }

    /**
     * The value at {@code key} when it is of {@code type}, null when the key is missing, WRONGTYPE
     * otherwise. A read lookup counts a hit or miss; a write lookup does not.
     */
    protected static <T> T typed(Database db, byte[] key, Class<T> type, boolean write) {
        Object v = write ? db.getForWrite(key) : db.get(key);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw Errors.wrongType();
        }
        return type.cast(v);
    }

    /** Deletes {@code key} when its collection became empty (Redis never keeps empty collections). */
    protected void deleteIfEmpty(Client c, Database db, byte[] key, io.rookery.node.keyspace.TypedValue value) {
        if (value.size() == 0) {
            db.delete(key);
            notify(c, io.rookery.node.config.KeyspaceEventFlags.GENERIC, "del", key);
        }
    }

    /**
     * SREM, ZREM, HDEL: removes the members given after the key from the collection at {@code a[1]},
     * replies how many were there, raises {@code event} and deletes the key once it is empty.
     */
    protected <T extends io.rookery.node.keyspace.TypedValue> void removeMembers(Client c, byte[][] a, Class<T> type,
            java.util.function.BiPredicate<T, byte[]> remove, int eventClass, String event) {
        Database db = db(c);
        T value = typed(db, a[1], type, true);
        long removed = 0;
        if (value != null) {
            for (int i = 2; i < a.length; i++) {
                if (remove.test(value, a[i])) {
                    removed++;
                }
            }
            if (removed > 0) {
                dirty(removed);
                notify(c, eventClass, event, a[1]);
                deleteIfEmpty(c, db, a[1], value);
            }
        }
        c.reply().integer(removed);
    }

    /** Propagates {@code args} (to the AOF) instead of the running command; see Propagation. */
    protected void propagateAs(Client c, byte[]... args) {
        dispatcher.propagation().replace(c.db, args);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Raises a keyspace notification (a no-op until pub/sub delivers them). */
    protected void notify(Client c, int eventClass, String event, byte[] key) {
        notifications.keyEvent(eventClass, event, key, c.db);
    }

    protected void checkStringLength(long length) {
        if (length > config.protoMaxBulkLen || length > Integer.MAX_VALUE - 8) { // nor beyond what a Java array holds
            throw new io.rookery.node.dispatch.CommandError(Errors.STRING_TOO_LONG);
        }
    }
}
