package io.rookery.node.persistence;

import io.netty.channel.EventLoop;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.config.SaveRules;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFileWriter;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbLoader;
import io.rookery.node.types.TypeContext;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RDB persistence: SAVE (on the command thread), BGSAVE (a fork-less {@link Snapshot} walked in
 * slices, written by a background thread), the {@code save} rules checked from the cron, loading at
 * start-up, and the state INFO persistence and the MISCONF guard report. Files are written to a
 * temporary file in {@code dir}, fsynced, then renamed over {@code dbfilename}.
 */
public final class Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    private static final byte[] END = new byte[0];
    private static final int SLICE = 256;
    private static final long MAX_QUEUED_BYTES = 32L << 20;

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final TypeContext types;
    private final LongSupplier dirty;
    private final java.util.function.LongConsumer dirtySaved;
    private final LongSupplier usedMemory;
    private EventLoop loop;

    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private long lastBgsaveTry;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveSeconds = -1;
    private long bgsaveStartMillis;
    private long saves;
    private String lastError = "";
    private Snapshot running;
    private boolean runningIsRewrite;
    private long dirtyAtStart;
    private volatile long queuedBytes;

    private final Aof aof;
    private io.rookery.node.dispatch.Dispatcher dispatcher;
    private boolean rewriteScheduled;
    private boolean bgsaveScheduled;
    private boolean lastRewriteOk = true;
    private long lastRewriteSeconds = -1;
    private long rewrites;
    private long aofBaseSize;
    private final io.rookery.node.dispatch.Propagator toAof;

    public Persistence(NodeConfig config, Keyspace keyspace, TypeContext types, LongSupplier dirty,
                       java.util.function.LongConsumer dirtySaved, LongSupplier usedMemory) {
        this.config = config;
        this.keyspace = keyspace;
        this.types = types;
        this.dirty = dirty;
        this.dirtySaved = dirtySaved;
        this.usedMemory = usedMemory;
        this.aof = new Aof(config);
        this.toAof = new io.rookery.node.dispatch.Propagator() {
            @Override
            public void propagate(java.util.List<io.rookery.node.dispatch.Propagation.Op> unit) {
                aof.append(unit);
            }

            @Override
            public boolean wantsUnits() {
                return aof.open();
            }
        };
    }

    /** The dispatcher whose writes the AOF records (and replays into at start-up). */
    public void dispatcher(io.rookery.node.dispatch.Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public void loop(EventLoop loop) {
        this.loop = loop;
    }

    public Path file() {
        return Path.of(config.dir).resolve(config.dbfilename);
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Loads the data at start-up: the AOF when {@code appendonly} is on and one exists (it is the more
     * recent), else the RDB file; then opens the AOF when it is on (creating it from the data loaded).
     * A corrupt file stops start-up.
     */
    public void loadAtStartup() {
        if (config.appendonly && Files.exists(aof.manifestFile())) {
            long start = System.nanoTime();
            try {
                AofManifest m = AofManifest.read(aof.manifestFile());
                long n = AofLoader.load(aof, m, keyspace, types, dispatcher, config.aofLoadTruncated, config.rdbchecksum);
                dispatcher.resetDirty();
                AofStartup.openFile(() -> aof.openIncrement(m.increments().isEmpty() ? withFirstIncrement(m) : m,
                        m.increments().isEmpty()));
                aofBaseSize = totalAofSize();
                dispatcher.propagation().addPropagator(toAof);
                LOG.info("DB loaded from append only file: {} commands in {} ms", n,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            } catch (IOException e) {
                throw new IllegalStateException("Fatal error loading the append only file: " + e.getMessage(), e);
            }
            return;
        }
        loadRdb();
        if (config.appendonly) {
            AofStartup.open(aof, this::openAof);
            rewriteAof(); // the base, from the data just loaded
        }
    }

    private AofManifest withFirstIncrement(AofManifest m) {
        return new AofManifest(m.base(), m.baseSeq(), java.util.List.of(config.appendfilename + "."
                + (m.lastIncrSeq() + 1) + ".incr.aof"), m.lastIncrSeq() + 1);
    }

    /** Opens the AOF for appending (creating its directory, an increment and the manifest) and starts recording writes. */
    private void openAof() throws IOException {
        if (aof.open()) {
            return;
        }
        Files.createDirectories(aof.dir());
        if (Files.exists(aof.manifestFile())) {
            aof.openIncrement(withFirstIncrement(AofManifest.read(aof.manifestFile())), true);
        } else {
            aof.openIncrement(new AofManifest(null, 0, java.util.List.of(config.appendfilename + ".1.incr.aof"), 1), true);
        }
        dispatcher.propagation().addPropagator(toAof);
    }

    private void loadRdb() {
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
        if (running != null) {
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
        install(tmp);
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

    private void install(Path tmp) throws IOException {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(Path.of(config.dir), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename itself is atomic
        }
    }

    // ---------------------------------------------------------------- BGSAVE

    public boolean bgsaveInProgress() {
        return running != null;
    }

    /** Starts a background save; false when one (or an AOF rewrite) is already running. */
    public boolean bgsave() {
        if (running != null) {
            return false;
        }
        dirtyAtStart = dirty.getAsLong();
        lastBgsaveTry = System.currentTimeMillis();
        startBackgroundWrite(file(), RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression),
                EntryWriter.RDB, false, this::bgsaveSucceeded, this::bgsaveFailed);
        LOG.info("Background saving started");
        return true;
    }

    private void bgsaveSucceeded() {
        dirtySaved.accept(dirtyAtStart);
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        saves++;
        lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
        LOG.info("Background saving terminated with success");
    }

    /**
     * Walks a snapshot on the command thread in slices while a background thread writes it to a
     * temporary file beside {@code target}, then renames it over {@code target}.
     */
    private void startBackgroundWrite(Path target, byte[] header, EntryWriter entries, boolean rewrite,
                                      Runnable onSuccess, java.util.function.Consumer<String> onFailure) {
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + target.getFileName());
        if (!Files.isDirectory(target.getParent())) {
            onFailure.accept("Failed opening the temp file in " + target.getParent() + ": No such file or directory");
            return;
        }
        LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        bgsaveStartMillis = System.currentTimeMillis();
        boolean checksum = config.rdbchecksum;
        Snapshot snapshot = new Snapshot(keyspace, entries, config.rdbcompression, chunk -> {
            queuedBytes += chunk.length;
            queue.add(chunk);
        });
        running = snapshot;
        runningIsRewrite = rewrite;
        Thread writer = new Thread(() -> writeFile(tmp, target, header, checksum, entries == EntryWriter.RDB, queue,
                snapshot, onSuccess, onFailure), "rookery-snapshot-writer");
        writer.setDaemon(true);
        writer.start();
        loop.execute(() -> walk(snapshot, queue));
    }

    /** One slice of the walk; reschedules itself, yielding to commands in between. */
    private void walk(Snapshot snapshot, LinkedBlockingQueue<byte[]> queue) {
        if (running != snapshot) {
            return;
        }
        if (queuedBytes > MAX_QUEUED_BYTES) {
            loop.schedule(() -> walk(snapshot, queue), 1, TimeUnit.MILLISECONDS); // let the writer catch up
            return;
        }
        long until = System.nanoTime() + 1_000_000;
        boolean done = snapshot.done();
        while (!done && System.nanoTime() < until) {
            done = snapshot.step(SLICE);
        }
        if (done) {
            queue.add(END);
            return;
        }
        // about a third of the command thread for the walk while clients are busy
        loop.schedule(() -> walk(snapshot, queue), 2, TimeUnit.MILLISECONDS);
    }

    private void writeFile(Path tmp, Path target, byte[] header, boolean checksum, boolean rdb,
                           LinkedBlockingQueue<byte[]> queue, Snapshot snapshot, Runnable onSuccess,
                           java.util.function.Consumer<String> onFailure) {
        String error = null;
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
             BufferedOutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
            RdbFileWriter w = new RdbFileWriter(out, checksum);
            w.write(header);
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == END) {
                    break;
                }
                queuedBytes -= chunk.length;
                w.write(chunk);
            }
            if (rdb) {
                w.finish();
            }
            out.flush();
            fos.getFD().sync();
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
        } catch (IOException | InterruptedException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to clean
            }
        }
        String failure = error;
        try {
            loop.execute(() -> {
                if (running != snapshot) {
                    return;
                }
                running = null;
                snapshot.abort();
                if (failure == null) {
                    onSuccess.run();
                } else {
                    onFailure.accept(failure);
                }
                runScheduled();
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            LOG.info("snapshot finished after the node stopped; its file is {}", failure == null ? "complete" : "discarded");
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename itself is atomic
        }
    }

    /** Starts what waited for the running snapshot: a scheduled AOF rewrite first, then a BGSAVE. */
    private void runScheduled() {
        if (rewriteScheduled && running == null) {
            rewriteScheduled = false;
            rewriteAof();
        }
        if (bgsaveScheduled && running == null) {
            bgsaveScheduled = false;
            bgsave();
        }
    }

    /**
     * Writes a point-in-time RDB of the data to {@code target} in the background, for a replica's full
     * synchronization; false when another snapshot runs (try again later).
     */
    public boolean snapshotToFile(Path target, Runnable onSuccess, java.util.function.Consumer<String> onFailure) {
        if (running != null) {
            return false;
        }
        startBackgroundWrite(target, RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression),
                EntryWriter.RDB, false, onSuccess, onFailure);
        return true;
    }

    /**
     * Streams a point-in-time snapshot's records to {@code sink} on the command thread (diskless
     * replication); the caller frames them with the RDB header and trailer. False when another
     * snapshot runs.
     */
    public boolean snapshotToSink(java.util.function.Consumer<byte[]> sink, Runnable onDone) {
        if (running != null) {
            return false;
        }
        Snapshot snapshot = new Snapshot(keyspace, EntryWriter.RDB, config.rdbcompression, sink);
        running = snapshot;
        runningIsRewrite = false;
        bgsaveStartMillis = System.currentTimeMillis();
        loop.execute(() -> walkToSink(snapshot, onDone));
        return true;
    }

    private void walkToSink(Snapshot snapshot, Runnable onDone) {
        if (running != snapshot) {
            return;
        }
        long until = System.nanoTime() + 1_000_000;
        boolean done = snapshot.done();
        while (!done && System.nanoTime() < until) {
            done = snapshot.step(SLICE);
        }
        if (!done) {
            loop.schedule(() -> walkToSink(snapshot, onDone), 2, TimeUnit.MILLISECONDS);
            return;
        }
        running = null;
        snapshot.abort();
        onDone.run();
        runScheduled();
    }

    /** BGSAVE SCHEDULE: starts now when nothing runs, else when the running snapshot ends; true when deferred. */
    public boolean scheduleBgsave() {
        if (running == null) {
            bgsave();
            return false;
        }
        bgsaveScheduled = true;
        return true;
    }

    public boolean aofRewriteInProgress() {
        return running != null && runningIsRewrite;
    }

    private void bgsaveFailed(String error) {
        lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
        lastBgsaveOk = false;
        lastError = error;
        LOG.warn("Background saving error: {}", error);
    }

    // ---------------------------------------------------------------- AOF

    /**
     * BGREWRITEAOF: writes go to a new increment file at once; a snapshot of the data becomes the new
     * base (RDB preamble, or commands); once it is on disk the manifest drops the old base and
     * increments. Until then the manifest lists old and new files, so a crash loses nothing.
     * Returns false when it was scheduled behind a running snapshot.
     */
    public boolean rewriteAof() {
        if (running != null) {
            rewriteScheduled = true;
            return false;
        }
        try {
            openAof();
            aof.nextIncrement();
        } catch (IOException e) {
            rewriteFailed(e.getMessage());
            return true;
        }
        long seq = aof.manifest().baseSeq() + 1;
        boolean preamble = config.aofUseRdbPreamble;
        String baseName = config.appendfilename + "." + seq + (preamble ? ".base.rdb" : ".base.aof");
        byte[] header = preamble ? RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression, true) : new byte[0];
        long start = System.currentTimeMillis();
        startBackgroundWrite(aof.dir().resolve(baseName), header, preamble ? EntryWriter.RDB : EntryWriter.COMMANDS,
                true, () -> {
                    try {
                        aof.installBase(baseName, seq);
                        aofBaseSize = totalAofSize();
                        lastRewriteOk = true;
                        rewrites++;
                        lastRewriteSeconds = (System.currentTimeMillis() - start) / 1000;
                        LOG.info("Background AOF rewrite finished successfully");
                    } catch (IOException e) {
                        rewriteFailed(e.getMessage());
                    }
                }, this::rewriteFailed);
        LOG.info("Background append only file rewriting started");
        return true;
    }

    private void rewriteFailed(String error) {
        lastRewriteOk = false;
        lastError = error;
        LOG.warn("Background AOF rewrite failed: {}", error);
    }

    /**
     * CONFIG SET appendonly: yes creates the AOF from the current data; no closes it. When the AOF
     * cannot be opened the change is vetoed with Redis's text (IllegalStateException), so CONFIG SET
     * fails and appendonly stays no instead of claiming an AOF that records nothing.
     */
    public void enableAof(boolean on) {
        if (on && !aof.open()) {
            try {
                openAof();
            } catch (IOException e) {
                LOG.warn("Redis needs to enable the AOF but can't open it in {}: {}", aof.dir(), AofStartup.reason(e));
                throw new IllegalStateException("Unable to turn on AOF. Check server logs.", e);
            }
            rewriteAof();
        } else if (!on && aof.open()) {
            aof.close();
            dispatcher.propagation().removePropagator(toAof);
        }
    }

    /**
     * DEBUG LOADAOF: writes out the AOF buffer, empties the dataset and loads the AOF back from its
     * manifest, as Redis does; nothing the replay does is propagated (to the AOF or to replicas).
     *
     * @throws IOException when there is no AOF to load or it is unreadable (the dataset is then empty)
     */
    public void reloadAof() throws IOException {
        if (aof.open()) {
            aof.flush();
        }
        keyspace.flushAll();
        if (!Files.exists(aof.manifestFile())) {
            throw new IOException("The AOF manifest file " + aof.manifestFile() + " doesn't exist");
        }
        boolean propagating = aof.open();
        dispatcher.propagation().removePropagator(toAof);
        try {
            AofLoader.load(aof, AofManifest.read(aof.manifestFile()), keyspace, types, dispatcher,
                    config.aofLoadTruncated, config.rdbchecksum);
        } finally {
            dispatcher.propagation().discardPending();
            if (propagating) {
                dispatcher.propagation().addPropagator(toAof);
            }
            dispatcher.resetDirty();
        }
    }

    /** Before the replies of a batch leave: the AOF buffer reaches the file (and the disk, under always). */
    public boolean flushAof() {
        return aof.flush();
    }

    /** The AOF could not be written: writes are refused until a write succeeds (Redis's MISCONF). */
    public String aofWriteError() {
        return aof.open() ? aof.lastWriteError() : null;
    }

    public boolean aofOn() {
        return aof.open();
    }

    private long totalAofSize() {
        long total = 0;
        try (var files = Files.list(aof.dir())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith(config.appendfilename + ".")) {
                    total += Files.size(p);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    public long aofSize() {
        return aof.open() ? totalAofSize() : 0;
    }

    public long aofFsyncLagMillis() {
        return aof.fsyncLagMillis();
    }

    /** Flushes and closes the AOF (shutdown). */
    public void closeAof() {
        aof.close();
    }

    // ---------------------------------------------------------------- save rules and state

    /** From the cron: starts a BGSAVE when a {@code save} rule is due (retrying failures after 5 s). */
    public void cron(long nowMillis) {
        aof.flush();
        if (running == null && aof.open() && config.autoAofRewritePercentage > 0) {
            long size = totalAofSize();
            long base = Math.max(1, aofBaseSize);
            if (size > config.autoAofRewriteMinSize && (size - base) * 100 / base >= config.autoAofRewritePercentage) {
                LOG.info("Starting automatic rewriting of AOF on {}% growth", (size - base) * 100 / base);
                rewriteAof();
                return;
            }
        }
        if (running != null || config.save.isBlank()) {
            return;
        }
        SaveRules rules;
        try {
            rules = SaveRules.parse(config.save);
        } catch (ConfigException e) {
            return;
        }
        long changes = dirty.getAsLong();
        long since = nowMillis / 1000 - lastSaveSeconds;
        for (SaveRules.Rule r : rules.rules()) {
            if (changes >= r.changes() && since >= r.seconds()
                    && (lastBgsaveOk || nowMillis - lastBgsaveTry > 5000)) {
                LOG.info("{} changes in {} seconds. Saving...", r.changes(), r.seconds());
                bgsave();
                return;
            }
        }
    }

    /** True when writes must be refused with MISCONF (stop-writes-on-bgsave-error). */
    public boolean refusesWrites() {
        return !lastBgsaveOk && config.stopWritesOnBgsaveError && !config.save.isBlank();
    }

    public long lastBgsaveSeconds() {
        return lastBgsaveSeconds;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    /** Whether the last background save (or SAVE) succeeded. */
    public boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    public long lastSaveSeconds() {
        return lastSaveSeconds;
    }

    /** Stops a running BGSAVE (shutdown). */
    public void cancel() {
        if (running != null) {
            running.abort();
            running = null;
        }
    }

    public void info(InfoWriter out) {
        out.field("loading", 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_save_keys_processed", running == null ? 0 : running.captured())
                .field("rdb_changes_since_last_save", dirty.getAsLong())
                .field("rdb_bgsave_in_progress", running != null && !runningIsRewrite ? 1 : 0)
                .field("rdb_last_save_time", lastSaveSeconds)
                .field("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", lastBgsaveSeconds)
                .field("rdb_current_bgsave_time_sec", running == null ? -1 : (System.currentTimeMillis() - bgsaveStartMillis) / 1000)
                .field("rdb_saves", saves)
                .field("rdb_last_cow_size", 0)
                .field("aof_enabled", aof.open() ? 1 : 0)
                .field("aof_rewrite_in_progress", aofRewriteInProgress() ? 1 : 0)
                .field("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0)
                .field("aof_last_rewrite_time_sec", lastRewriteSeconds)
                .field("aof_current_rewrite_time_sec", aofRewriteInProgress() ? (System.currentTimeMillis() - bgsaveStartMillis) / 1000 : -1)
                .field("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err")
                .field("aof_rewrites", rewrites)
                .field("aof_last_write_status", aof.lastWriteError() == null ? "ok" : "err");
        if (aof.open()) {
            out.field("aof_current_size", totalAofSize())
                    .field("aof_base_size", aofBaseSize)
                    .field("aof_pending_rewrite", 0)
                    .field("aof_buffer_length", 0)
                    .field("aof_pending_bio_fsync", 0)
                    .field("aof_delayed_fsync", 0);
        }
    }

    public String lastError() {
        return lastError;
    }
}
