package io.rookery.node.persistence;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFileWriter;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbLoader;
import io.rookery.node.types.TypeContext;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDB file {@code dir/dbfilename}: loading it at start-up, SAVE (on the command thread), BGSAVE
 * and BGSAVE SCHEDULE (through the {@link SnapshotWriter}), and their outcome (last save time and
 * status, the last error) that INFO persistence and the MISCONF stage report.
 */
public final class RdbSaves {
    private static final Logger LOG = LoggerFactory.getLogger(RdbSaves.class);

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final TypeContext types;
    private final SnapshotWriter snapshots;
    private final LongSupplier dirty;
    private final LongConsumer dirtySaved;
    private final LongSupplier usedMemory;

    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private long lastBgsaveTry;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveSeconds = -1;
    private long saves;
    private String lastError = "";
    private long dirtyAtStart;
    private boolean bgsaveScheduled;

    /**
     * @param dirty      changes since the last save
     * @param dirtySaved takes away the changes a save wrote (those made meanwhile remain)
     * @param usedMemory INFO used_memory, for the header's used-mem field
     */
    public RdbSaves(NodeConfig config, Keyspace keyspace, TypeContext types, SnapshotWriter snapshots,
                    LongSupplier dirty, LongConsumer dirtySaved, LongSupplier usedMemory) {
        this.config = config;
        this.keyspace = keyspace;
        this.types = types;
        this.snapshots = snapshots;
        this.dirty = dirty;
        this.dirtySaved = dirtySaved;
        this.usedMemory = usedMemory;
    }

    public Path file() {
        return Path.of(config.dir).resolve(config.dbfilename);
    }

    /** Loads the RDB file when there is one; a corrupt file stops start-up. */
    void load() {
        Path f = file();
        if (!Files.exists(f)) {
            return;
        }
        long start = System.nanoTime();
        try {
            RdbLoader.Result r = RdbLoader.load(Files.readAllBytes(f), keyspace, types, config.rdbchecksum);
            LOG.info("DB loaded from disk: {} keys ({} already expired) in {} ms from {}", r.keys(), r.expired(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), f);
        } catch (IOException | RdbFormatException e) {
            throw new IllegalStateException("Fatal error loading the DB " + f + ": " + e.getMessage()
                    + ". Exiting. Move the file away or repair it to start.", e);
        }
    }

    // ---------------------------------------------------------------- SAVE

    /** Writes the whole dataset now, on the calling (command) thread. */
    public void save() throws IOException {
        if (snapshots.running()) {
            throw new IOException("Background save already in progress");
        }
        long before = dirty.getAsLong();
        Path tmp = tempFile();
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
             BufferedOutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
            RdbFileWriter w = new RdbFileWriter(out, config.rdbchecksum);
            w.write(RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression));
            Snapshot s = new Snapshot(keyspace, config.rdbcompression, chunk -> {
                try {
                    w.write(chunk);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                s.step(Integer.MAX_VALUE);
            } catch (java.io.UncheckedIOException e) {
                s.abort();
                throw e.getCause();
            }
            w.finish();
            out.flush();
            fos.getFD().sync();
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            lastError = e.getMessage();
            throw e;
        }
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        SnapshotWriter.syncDirectory(Path.of(config.dir));
        dirtySaved.accept(before);
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        saves++;
        LOG.info("DB saved on disk");
    }

    private Path tempFile() throws IOException {
        Path dir = Path.of(config.dir);
        if (!Files.isDirectory(dir)) {
            throw new IOException("Failed opening the temp RDB file in " + dir + ": No such file or directory");
        }
        return dir.resolve("temp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".rdb");
    }

    // ---------------------------------------------------------------- BGSAVE

    public boolean inProgress() {
        return snapshots.running() && !snapshots.runningRewrite();
    }

    /** Starts a background save; false when one (or an AOF rewrite) is already running. */
    public boolean bgsave() {
        if (snapshots.running()) {
            return false;
        }
        dirtyAtStart = dirty.getAsLong();
        lastBgsaveTry = System.currentTimeMillis();
        snapshots.toFile(file(), RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression),
                EntryWriter.RDB, false, this::bgsaveSucceeded, this::bgsaveFailed);
        LOG.info("Background saving started");
        return true;
    }

    /** BGSAVE SCHEDULE: starts now when nothing runs, else when the running snapshot ends; true when deferred. */
    public boolean schedule() {
        if (!snapshots.running()) {
            bgsave();
            return false;
        }
        bgsaveScheduled = true;
        return true;
    }

    /** After a snapshot ended: the BGSAVE that was scheduled behind it, if any. */
    void runScheduled() {
        if (bgsaveScheduled && !snapshots.running()) {
            bgsaveScheduled = false;
            bgsave();
        }
    }

    private void bgsaveSucceeded() {
        dirtySaved.accept(dirtyAtStart);
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        saves++;
        lastBgsaveSeconds = (System.currentTimeMillis() - snapshots.startMillis()) / 1000;
        LOG.info("Background saving terminated with success");
    }

    private void bgsaveFailed(String error) {
        lastBgsaveSeconds = (System.currentTimeMillis() - snapshots.startMillis()) / 1000;
        lastBgsaveOk = false;
        lastError = error;
        LOG.warn("Background saving error: {}", error);
    }

    // ---------------------------------------------------------------- outcome

    /** True when writes must be refused with MISCONF (stop-writes-on-bgsave-error). */
    public boolean refusesWrites() {
        return !lastBgsaveOk && config.stopWritesOnBgsaveError && !config.save.isBlank();
    }

    /** Whether the last background save (or SAVE) succeeded. */
    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    /** When the last BGSAVE was tried (a failed one is retried by the schedule after 5 s). */
    long lastBgsaveTry() {
        return lastBgsaveTry;
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    public long saves() {
        return saves;
    }

    /** The last save or AOF rewrite error, or empty. */
    public String lastError() {
        return lastError;
    }

    void lastError(String error) {
        this.lastError = error;
    }
}
