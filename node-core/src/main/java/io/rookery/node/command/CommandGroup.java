package io.rookery.node.command;

import io.rookery.node.RookeryNode;
import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;

/** What every family of commands shares: the node, the client's database, typed lookups. */
abstract class CommandGroup {
    protected final RookeryNode node;
    protected final NodeConfig config;

    CommandGroup(RookeryNode node) {
        this.node = node;
        this.config = node.config();
    }

    protected Database db(Client c) {
        return node.keyspace().db(c.db);
    }

    /** Counts changes for rdb_changes_since_last_save (and later propagation). */
    protected void dirty(long changes) {
        node.dispatcher().dirty(changes);
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

    protected void checkStringLength(long length) {
        if (length > config.protoMaxBulkLen) {
            throw new io.rookery.node.dispatch.CommandError(Errors.STRING_TOO_LONG);
        }
    }
}
