package io.rookery.node.persistence;

import io.netty.channel.EventLoop;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.types.TypeContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The node's persistence, assembled from its parts: the {@link SnapshotWriter} (one point-in-time
 * snapshot at a time, for BGSAVE, the AOF rewrite and full resynchronizations), the {@link RdbSaves}
 * (SAVE, BGSAVE, the RDB file), the {@link AofPersistence} (the append-only file) and the
 * {@link SaveSchedule} (the cron's part), with INFO persistence over all of them. This facade serves
 * the node's lifecycle (load, save at shutdown), the persistence commands and the shell's control
 * endpoints; a subsystem that needs only one part takes that part.
 */
public final class Persistence {
    private final NodeConfig config;
    private final SnapshotWriter snapshots;
    private final RdbSaves rdb;
    private final AofPersistence aof;
    private final SaveSchedule schedule;
    private final PersistenceInfo info;

    /** @param usedMemory INFO used_memory, for the RDB header's used-mem field */
    public Persistence(NodeConfig config, Keyspace keyspace, TypeContext types, Dispatcher dispatcher, EventLoop loop,
                       LongSupplier usedMemory) {
        this.config = config;
        LongSupplier dirty = dispatcher::dirty;
        this.snapshots = new SnapshotWriter(config, keyspace, loop);
        this.rdb = new RdbSaves(config, keyspace, types, snapshots, dirty, saved -> dispatcher.dirty(-saved), usedMemory);
        this.aof = new AofPersistence(config, keyspace, types, dispatcher, snapshots, usedMemory, rdb::lastError);
        this.schedule = new SaveSchedule(config, snapshots, rdb, aof, dirty);
        this.info = new PersistenceInfo(snapshots, rdb, aof, dirty);
        snapshots.whenDone(aof::runScheduled); // a scheduled AOF rewrite first, then a scheduled BGSAVE
        snapshots.whenDone(rdb::runScheduled);
    }

    public SnapshotWriter snapshots() {
        return snapshots;
    }

    public RdbSaves rdb() {
        return rdb;
    }

    public AofPersistence aof() {
        return aof;
    }

    public Path file() {
        return rdb.file();
    }

    /**
     * Loads the data at start-up: the AOF when {@code appendonly} is on and one exists (it is the more
     * recent), else the RDB file; then opens the AOF when it is on (creating it from the data loaded).
     * A corrupt file stops start-up.
     */
    public void loadAtStartup() {
        if (config.appendonly && aof.exists()) {
            aof.load();
            return;
        }
        rdb.load();
        if (config.appendonly) {
            aof.openAtStartup();
        }
    }

    // ---------------------------------------------------------------- the RDB file

    /** SAVE: writes the whole dataset now, on the calling (command) thread. */
    public void save() throws IOException {
        rdb.save();
    }

    public boolean bgsaveInProgress() {
        return snapshots.running();
    }

    /** Starts a background save; false when one (or an AOF rewrite) is already running. */
    public boolean bgsave() {
        return rdb.bgsave();
    }

    /** BGSAVE SCHEDULE: starts now when nothing runs, else when the running snapshot ends; true when deferred. */
    public boolean scheduleBgsave() {
        return rdb.schedule();
    }

    /** Stops a running snapshot (shutdown). */
    public void cancel() {
        snapshots.cancel();
    }

    // ---------------------------------------------------------------- the AOF

    public boolean aofRewriteInProgress() {
        return aof.rewriteInProgress();
    }

    /** BGREWRITEAOF; false when it was scheduled behind a running snapshot. */
    public boolean rewriteAof() {
        return aof.rewrite();
    }

    /**
     * CONFIG SET appendonly: yes creates the AOF from the current data; no closes it. When the AOF
     * cannot be opened the change is vetoed with Redis's text (IllegalStateException).
     */
    public void enableAof(boolean on) {
        aof.enable(on);
    }

    /**
     * DEBUG LOADAOF: empties the dataset and loads the AOF back, propagating nothing.
     *
     * @throws IOException when there is no AOF to load or it is unreadable (the dataset is then empty)
     */
    public void reloadAof() throws IOException {
        aof.reload();
    }

    /** Before the replies of a batch leave: the AOF buffer reaches the file (and the disk, under always). */
    public boolean flushAof() {
        return aof.flush();
    }

    /** The AOF could not be written: writes are refused until a write succeeds (Redis's MISCONF). */
    public String aofWriteError() {
        return aof.writeError();
    }

    public boolean aofOn() {
        return aof.on();
    }

    public long aofSize() {
        return aof.size();
    }

    public long aofFsyncLagMillis() {
        return aof.fsyncLagMillis();
    }

    /** Flushes and closes the AOF (shutdown). */
    public void closeAof() {
        aof.close();
    }

    // ---------------------------------------------------------------- schedule and state

    /** From the cron: AOF flush, automatic rewrite, save rules. */
    public void cron(long nowMillis) {
        schedule.cron(nowMillis);
    }

    /** True when writes must be refused with MISCONF (stop-writes-on-bgsave-error). */
    public boolean refusesWrites() {
        return rdb.refusesWrites();
    }

    public long lastBgsaveSeconds() {
        return rdb.lastBgsaveSeconds();
    }

    public long lastRewriteSeconds() {
        return aof.lastRewriteSeconds();
    }

    /** Whether the last background save (or SAVE) succeeded. */
    public boolean lastBgsaveOk() {
        return rdb.lastBgsaveOk();
    }

    public long lastSaveSeconds() {
        return rdb.lastSaveSeconds();
    }

    public String lastError() {
        return rdb.lastError();
    }

    public void info(InfoWriter out) {
        info.write(out);
    }
}
