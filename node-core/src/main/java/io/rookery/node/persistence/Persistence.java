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
    private static final int SLICE = 2048;
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
    private long dirtyAtStart;
    private volatile long queuedBytes;

    public Persistence(NodeConfig config, Keyspace keyspace, TypeContext types, LongSupplier dirty,
                       java.util.function.LongConsumer dirtySaved, LongSupplier usedMemory) {
        this.config = config;
        this.keyspace = keyspace;
        this.types = types;
        this.dirty = dirty;
        this.dirtySaved = dirtySaved;
        this.usedMemory = usedMemory;
    }

    public void loop(EventLoop loop) {
        this.loop = loop;
    }

    public Path file() {
        return Path.of(config.dir).resolve(config.dbfilename);
    }

    // ---------------------------------------------------------------- start-up

    /** Loads the RDB file when one exists; a corrupt or unreadable file stops start-up. */
    public void loadAtStartup() {
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

    /** Starts a background save; false when one is already running. */
    public boolean bgsave() {
        if (running != null) {
            return false;
        }
        Path tmp;
        try {
            tmp = tempFile();
        } catch (IOException e) {
            bgsaveFailed(e.getMessage());
            return true;
        }
        LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        dirtyAtStart = dirty.getAsLong();
        bgsaveStartMillis = System.currentTimeMillis();
        lastBgsaveTry = bgsaveStartMillis;
        byte[] header = RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression);
        boolean checksum = config.rdbchecksum;
        Snapshot snapshot = new Snapshot(keyspace, config.rdbcompression, chunk -> {
            queuedBytes += chunk.length;
            queue.add(chunk);
        });
        running = snapshot;
        Thread writer = new Thread(() -> writeFile(tmp, header, checksum, queue, snapshot), "rookery-bgsave");
        writer.setDaemon(true);
        writer.start();
        loop.execute(() -> walk(snapshot, queue));
        LOG.info("Background saving started");
        return true;
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
        if (snapshot.done() || snapshot.step(SLICE)) {
            queue.add(END);
            return;
        }
        loop.execute(() -> walk(snapshot, queue));
    }

    private void writeFile(Path tmp, byte[] header, boolean checksum, LinkedBlockingQueue<byte[]> queue, Snapshot snapshot) {
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
            w.finish();
            out.flush();
            fos.getFD().sync();
            install(tmp);
        } catch (IOException | InterruptedException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to clean
            }
        }
        String failure = error;
        loop.execute(() -> bgsaveDone(snapshot, failure));
    }

    private void bgsaveDone(Snapshot snapshot, String error) {
        if (running != snapshot) {
            return;
        }
        running = null;
        snapshot.abort();
        lastBgsaveSeconds = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
        if (error == null) {
            dirtySaved.accept(dirtyAtStart);
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            lastBgsaveOk = true;
            saves++;
            LOG.info("Background saving terminated with success");
        } else {
            bgsaveFailed(error);
        }
    }

    private void bgsaveFailed(String error) {
        lastBgsaveOk = false;
        lastError = error;
        LOG.warn("Background saving error: {}", error);
    }

    // ---------------------------------------------------------------- save rules and state

    /** From the cron: starts a BGSAVE when a {@code save} rule is due (retrying failures after 5 s). */
    public void cron(long nowMillis) {
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
                .field("rdb_bgsave_in_progress", running == null ? 0 : 1)
                .field("rdb_last_save_time", lastSaveSeconds)
                .field("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", lastBgsaveSeconds)
                .field("rdb_current_bgsave_time_sec", running == null ? -1 : (System.currentTimeMillis() - bgsaveStartMillis) / 1000)
                .field("rdb_saves", saves)
                .field("rdb_last_cow_size", 0)
                .field("aof_enabled", 0)
                .field("aof_rewrite_in_progress", 0)
                .field("aof_rewrite_scheduled", 0)
                .field("aof_last_rewrite_time_sec", -1)
                .field("aof_current_rewrite_time_sec", -1)
                .field("aof_last_bgrewrite_status", "ok")
                .field("aof_rewrites", 0)
                .field("aof_last_write_status", "ok");
    }

    public String lastError() {
        return lastError;
    }
}
