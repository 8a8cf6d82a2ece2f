package io.rookery.node.persistence;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.Propagation;
import io.rookery.node.dispatch.Propagator;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFileWriter;
import io.rookery.node.types.TypeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file as the node uses it: loading it at start-up (replayed through the gate), the
 * writes it records (a {@link Propagator} on the dispatcher's propagation), turning it on and off
 * (CONFIG SET appendonly), BGREWRITEAOF through the {@link SnapshotWriter}, and its size and rewrite
 * outcome for INFO. The files and the manifest are {@link Aof}'s.
 */
public final class AofPersistence {
    private static final Logger LOG = LoggerFactory.getLogger(AofPersistence.class);

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final TypeContext types;
    private final Dispatcher dispatcher;
    private final SnapshotWriter snapshots;
    private final LongSupplier usedMemory;
    private final Consumer<String> errors;
    private final Aof aof;
    private final Propagator toAof;
    private boolean rewriteScheduled;
    private boolean lastRewriteOk = true;
    private long lastRewriteSeconds = -1;
    private long rewrites;
    private long baseSize;

    /**
     * @param dispatcher the gate whose writes the AOF records, and that replays the file at start-up
     * @param errors     where a failed rewrite's error goes (INFO and REST show the last one)
     */
    public AofPersistence(NodeConfig config, Keyspace keyspace, TypeContext types, Dispatcher dispatcher,
                          SnapshotWriter snapshots, LongSupplier usedMemory, Consumer<String> errors) {
        this.config = config;
        this.keyspace = keyspace;
        this.types = types;
        this.dispatcher = dispatcher;
        this.snapshots = snapshots;
        this.usedMemory = usedMemory;
        this.errors = errors;
        this.aof = new Aof(config);
        this.toAof = new Propagator() {
            @Override
            public void propagate(List<Propagation.Op> unit) {
                aof.append(unit);
            }

            @Override
            public boolean wantsUnits() {
                return aof.open();
            }

            @Override
            public int target() {
                return AOF; // PUBLISH and REPL_REPLICA script writes stay out of the AOF, as in Redis
            }
        };
    }

    /** Whether there is an AOF to load (its manifest exists). */
    boolean exists() {
        return Files.exists(aof.manifestFile());
    }

    /** Loads the AOF at start-up and opens it for appending; a file that cannot be loaded stops start-up. */
    void load() {
        long start = System.nanoTime();
        try {
            AofManifest m = AofManifest.read(aof.manifestFile());
            long n = AofLoader.load(aof, m, keyspace, types, dispatcher, config.aofLoadTruncated, config.rdbchecksum);
            dispatcher.resetDirty();
            AofStartup.openFile(() -> aof.openIncrement(m.increments().isEmpty() ? withFirstIncrement(m) : m,
                    m.increments().isEmpty()));
            baseSize = totalSize();
            dispatcher.propagation().addPropagator(toAof);
            LOG.info("DB loaded from append only file: {} commands in {} ms", n,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            throw new IllegalStateException("Fatal error loading the append only file: " + e.getMessage(), e);
        }
    }

    private AofManifest withFirstIncrement(AofManifest m) {
        return new AofManifest(m.base(), m.baseSeq(), List.of(config.appendfilename + "."
                + (m.lastIncrSeq() + 1) + ".incr.aof"), m.lastIncrSeq() + 1);
    }

    /**
     * Start-up with {@code appendonly yes} and no AOF yet: opens it, refusing to start when its
     * directory or file cannot be created (see {@link AofStartup}), then writes its base from the data
     * just loaded.
     */
    void openAtStartup() {
        AofStartup.open(aof, this::open);
        rewrite();
    }

    /** Opens the AOF for appending (creating its directory, an increment and the manifest) and starts recording writes. */
    private void open() throws IOException {
        if (aof.open()) {
            return;
        }
        Files.createDirectories(aof.dir());
        if (Files.exists(aof.manifestFile())) {
            aof.openIncrement(withFirstIncrement(AofManifest.read(aof.manifestFile())), true);
        } else {
            aof.openIncrement(new AofManifest(null, 0, List.of(config.appendfilename + ".1.incr.aof"), 1), true);
        }
        dispatcher.propagation().addPropagator(toAof);
    }

    /**
     * DEBUG LOADAOF: writes out the AOF buffer, empties the dataset and loads the AOF back from its
     * manifest, as Redis does; nothing the replay does is propagated (to the AOF or to replicas).
     *
     * @throws IOException when there is no AOF to load or it is unreadable (the dataset is then empty)
     */
    public void reload() throws IOException {
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

    // ---------------------------------------------------------------- rewrite

    /**
     * BGREWRITEAOF: writes go to a new increment file at once; a snapshot of the data becomes the new
     * base (RDB preamble, or commands); once it is on disk the manifest drops the old base and
     * increments. Until then the manifest lists old and new files, so a crash loses nothing.
     * Returns false when it was scheduled behind a running snapshot.
     */
    public boolean rewrite() {
        if (snapshots.running()) {
            rewriteScheduled = true;
            return false;
        }
        try {
            open();
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
        snapshots.toFile(aof.dir().resolve(baseName), header, preamble ? EntryWriter.RDB : EntryWriter.COMMANDS,
                true, () -> {
                    try {
                        aof.installBase(baseName, seq);
                        baseSize = totalSize();
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
        errors.accept(error);
        LOG.warn("Background AOF rewrite failed: {}", error);
    }

    /** After a snapshot ended: the rewrite that was scheduled behind it, if any. */
    void runScheduled() {
        if (rewriteScheduled && !snapshots.running()) {
            rewriteScheduled = false;
            rewrite();
        }
    }

    public boolean rewriteInProgress() {
        return snapshots.runningRewrite();
    }

    public boolean rewriteScheduled() {
        return rewriteScheduled;
    }

    public boolean lastRewriteOk() {
        return lastRewriteOk;
    }

    public long lastRewriteSeconds() {
        return lastRewriteSeconds;
    }

    public long rewrites() {
        return rewrites;
    }

    // ---------------------------------------------------------------- on, off, flush

    /**
     * CONFIG SET appendonly: yes creates the AOF from the current data; no closes it. When the AOF
     * cannot be opened the change is vetoed with Redis's text (IllegalStateException), so CONFIG SET
     * fails and appendonly stays no instead of claiming an AOF that records nothing.
     */
    public void enable(boolean on) {
        if (on && !aof.open()) {
            try {
                open();
            } catch (IOException e) {
                LOG.warn("Redis needs to enable the AOF but can't open it in {}: {}", aof.dir(), AofStartup.reason(e));
                throw new IllegalStateException("Unable to turn on AOF. Check server logs.", e);
            }
            rewrite();
        } else if (!on && aof.open()) {
            aof.close();
            dispatcher.propagation().removePropagator(toAof);
        }
    }

    /** Before the replies of a batch leave: the AOF buffer reaches the file (and the disk, under always). */
    public boolean flush() {
        return aof.flush();
    }

    /** The AOF could not be written: writes are refused until a write succeeds (Redis's MISCONF). */
    public String writeError() {
        return aof.open() ? aof.lastWriteError() : null;
    }

    /** The last write's error whether or not the AOF is open (INFO aof_last_write_status). */
    String lastWriteError() {
        return aof.lastWriteError();
    }

    public boolean on() {
        return aof.open();
    }

    /** Bytes of the AOF files. */
    long totalSize() {
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

    /** The size of the base after the last rewrite (or load), which auto-aof-rewrite-percentage grows from. */
    long baseSize() {
        return baseSize;
    }

    /** Bytes of the AOF files; 0 while the AOF is off. */
    public long size() {
        return aof.open() ? totalSize() : 0;
    }

    public long fsyncLagMillis() {
        return aof.fsyncLagMillis();
    }

    /** Flushes and closes the AOF (shutdown). */
    public void close() {
        aof.close();
    }
}
