package io.rookery.node.persistence;

import io.rookery.node.keyspace.AccessMeta;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A point-in-time snapshot of the keyspace without fork (see "Snapshots without fork" in DESIGN.md).
 * Starting it flips the keyspace's snapshot parity, so every existing entry counts as not captured.
 * The command thread then walks the tables in small slices between commands ({@link #step}), and
 * any write to an entry not captured yet first captures its old contents ({@link #beforeChange}):
 * every entry is serialized exactly once, as it was when the snapshot began. Keys created after the
 * start carry the new parity and are left out. Serialized bytes leave through {@code sink} in chunks,
 * to be written by another thread; nothing live crosses threads.
 */
final class Snapshot implements Keyspace.SnapshotHook {
    private static final int CHUNK = 64 * 1024;

    private final Keyspace keyspace;
    private final EntryWriter writer;
    private final Consumer<byte[]> sink;
    private final RdbOutput buffer;
    private final int parity;
    private int db;
    private long cursor;
    private int lastSelected = -1;
    private boolean done;
    private long captured;

    Snapshot(Keyspace keyspace, boolean compress, Consumer<byte[]> sink) {
        this(keyspace, EntryWriter.RDB, compress, sink);
    }

    Snapshot(Keyspace keyspace, EntryWriter writer, boolean compress, Consumer<byte[]> sink) {
        this.keyspace = keyspace;
        this.writer = writer;
        this.sink = sink;
        this.buffer = new RdbOutput(compress);
        if (writer == EntryWriter.RDB) {
            buffer.writeBytes(keyspace.functionRecords()); // the function libraries come before the databases
        }
        this.parity = keyspace.beginSnapshot(this);
    }

    boolean done() {
        return done;
    }

    long captured() {
        return captured;
    }

    /** Walks about {@code budget} entries; true once every database has been walked. */
    boolean step(int budget) {
        List<Dict.Entry> bucket = new ArrayList<>();
        while (!done && budget > 0) {
            Database d = keyspace.db(db);
            if (d.size() == 0) {
                cursor = 0;
            } else {
                bucket.clear();
                cursor = d.scan(cursor, bucket::add);
                for (Dict.Entry e : bucket) {
                    if ((e.meta() & AccessMeta.SNAPSHOT_MARK) != parity) {
                        capture(d, e);
                    }
                    budget--;
                }
            }
            if (cursor == 0) {
                db++;
                if (db >= keyspace.count()) {
                    finish();
                }
            }
        }
        return done;
    }

    @Override
    public void beforeChange(Database d, Dict.Entry e) {
        capture(d, e);
    }

    @Override
    public void beforeBulkChange() {
        while (!step(Integer.MAX_VALUE)) {
            // complete the walk before the tables are swapped or emptied
        }
    }

    private void capture(Database d, Dict.Entry e) {
        if (d.id() != lastSelected) {
            writer.select(buffer, d.id());
            lastSelected = d.id();
        }
        writer.entry(buffer, e.key(), e.value(), d.expireAt(e.key()));
        d.markCaptured(e, parity);
        captured++;
        if (buffer.size() >= CHUNK) {
            flushBuffer();
        }
    }

    private void flushBuffer() {
        if (buffer.size() > 0) {
            sink.accept(buffer.toByteArray());
            buffer.reset();
        }
    }

    private void finish() {
        flushBuffer();
        done = true;
        keyspace.endSnapshot();
    }

    /** Abandons the snapshot (the writer failed): writes stop being intercepted. */
    void abort() {
        if (!done) {
            done = true;
            keyspace.endSnapshot();
        }
    }
}
