package io.rookery.node.persistence;

import io.rookery.node.info.InfoWriter;
import java.util.function.LongSupplier;

/** INFO persistence, with Redis 7.0's field names, from the snapshot writer, the RDB saves and the AOF. */
final class PersistenceInfo {
    private final SnapshotWriter snapshots;
    private final RdbSaves rdb;
    private final AofPersistence aof;
    private final LongSupplier dirty;

    PersistenceInfo(SnapshotWriter snapshots, RdbSaves rdb, AofPersistence aof, LongSupplier dirty) {
        this.snapshots = snapshots;
        this.rdb = rdb;
        this.aof = aof;
        this.dirty = dirty;
    }

    void write(InfoWriter out) {
        boolean running = snapshots.running();
        long runningSeconds = (System.currentTimeMillis() - snapshots.startMillis()) / 1000;
        out.field("loading", 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_save_keys_processed", snapshots.capturedKeys())
                .field("rdb_changes_since_last_save", dirty.getAsLong())
                .field("rdb_bgsave_in_progress", rdb.inProgress() ? 1 : 0)
                .field("rdb_last_save_time", rdb.lastSaveSeconds())
                .field("rdb_last_bgsave_status", rdb.lastBgsaveOk() ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", rdb.lastBgsaveSeconds())
                .field("rdb_current_bgsave_time_sec", running ? runningSeconds : -1)
                .field("rdb_saves", rdb.saves())
                .field("rdb_last_cow_size", 0)
                .field("aof_enabled", aof.on() ? 1 : 0)
                .field("aof_rewrite_in_progress", aof.rewriteInProgress() ? 1 : 0)
                .field("aof_rewrite_scheduled", aof.rewriteScheduled() ? 1 : 0)
                .field("aof_last_rewrite_time_sec", aof.lastRewriteSeconds())
                .field("aof_current_rewrite_time_sec", aof.rewriteInProgress() ? runningSeconds : -1)
                .field("aof_last_bgrewrite_status", aof.lastRewriteOk() ? "ok" : "err")
                .field("aof_rewrites", aof.rewrites())
                .field("aof_last_write_status", aof.lastWriteError() == null ? "ok" : "err");
        if (aof.on()) {
            out.field("aof_current_size", aof.totalSize())
                    .field("aof_base_size", aof.baseSize())
                    .field("aof_pending_rewrite", 0)
                    .field("aof_buffer_length", 0)
                    .field("aof_pending_bio_fsync", 0)
                    .field("aof_delayed_fsync", 0);
        }
    }
}
