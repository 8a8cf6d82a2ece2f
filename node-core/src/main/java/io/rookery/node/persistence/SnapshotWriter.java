package io.rookery.node.persistence;

import io.netty.channel.EventLoop;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFileWriter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point-in-time snapshot mechanism that BGSAVE, the AOF rewrite and a replica's full
 * resynchronization share (and slot migration will): a fork-less {@link Snapshot} walked on the
 * command thread in slices between commands, its bytes handed to a writer thread (or to a sink). One
 * snapshot runs at a time; {@link #whenDone} hooks start what waited for it.
 *
 * <p>A file is written to a temporary file beside its target, fsynced, then renamed over the target
 * and the directory fsynced.
 */
public final class SnapshotWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    private static final byte[] END = new byte[0];
    /** Put in the queue by {@link #cancel}: the writer drops its temporary file and stops. */
    private static final byte[] CANCELLED = new byte[0];
    /** How long {@link #cancel} waits for the writer to have removed its temporary file. */
    private static final long CANCEL_WAIT_MILLIS = 5_000;
    private static final int SLICE = 256;
    private static final long MAX_QUEUED_BYTES = 32L << 20;

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final EventLoop loop;
    private final List<Runnable> whenDone = new ArrayList<>();
    private Snapshot running;
    private boolean runningIsRewrite;
    private long startMillis;
    private volatile long queuedBytes;
    /** The running file snapshot's writer thread and queue, or null (none, or a snapshot to a sink). */
    private Thread runningWriter;
    private LinkedBlockingQueue<byte[]> runningQueue;

    public SnapshotWriter(NodeConfig config, Keyspace keyspace, EventLoop loop) {
        this.config = config;
        this.keyspace = keyspace;
        this.loop = loop;
    }

    /** Runs {@code hook} each time a snapshot ends, after its own callbacks (in registration order). */
    public void whenDone(Runnable hook) {
        whenDone.add(hook);
    }

    /** A snapshot is being taken. */
    public boolean running() {
        return running != null;
    }

    /** The running snapshot is an AOF rewrite's (INFO tells it apart from an RDB save). */
    public boolean runningRewrite() {
        return running != null && runningIsRewrite;
    }

    /** When the last snapshot started (wall clock). */
    public long startMillis() {
        return startMillis;
    }

    /** Keys the running snapshot has captured so far (INFO current_save_keys_processed); 0 when none runs. */
    public long capturedKeys() {
        return running == null ? 0 : running.captured();
    }

    /**
     * Writes a point-in-time snapshot to {@code target} in the background: {@code header}, then the
     * records as {@code entries} writes them, then (for RDB) the trailer. {@code onSuccess} or
     * {@code onFailure} (with the error) runs on the command thread. The caller checks that no
     * snapshot {@linkplain #running() runs}.
     *
     * @param aofRewrite whether this is an AOF rewrite's base (INFO aof_rewrite_in_progress)
     */
    void toFile(Path target, byte[] header, EntryWriter entries, boolean aofRewrite, Runnable onSuccess,
                Consumer<String> onFailure) {
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-"
                + target.getFileName());
        if (!Files.isDirectory(target.getParent())) {
            onFailure.accept("Failed opening the temp file in " + target.getParent() + ": No such file or directory");
            return;
        }
        LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        startMillis = System.currentTimeMillis();
        boolean checksum = config.rdbchecksum;
        Snapshot snapshot = new Snapshot(keyspace, entries, config.rdbcompression, chunk -> {
            queuedBytes += chunk.length;
            queue.add(chunk);
        });
        running = snapshot;
        runningIsRewrite = aofRewrite;
        Thread writer = new Thread(() -> writeFile(tmp, target, header, checksum, entries == EntryWriter.RDB, queue,
                snapshot, onSuccess, onFailure), "rookery-snapshot-writer");
        writer.setDaemon(true);
        runningWriter = writer;
        runningQueue = queue;
        writer.start();
        loop.execute(() -> walk(snapshot, queue));
    }

    /**
     * Writes a point-in-time RDB of the data to {@code target} in the background (a replica's full
     * synchronization); false when another snapshot runs (try again later).
     *
     * @param usedMemory the header's used-mem field
     */
    public boolean rdbToFile(Path target, long usedMemory, Runnable onSuccess, Consumer<String> onFailure) {
        if (running != null) {
            return false;
        }
        toFile(target, RdbFileWriter.header(usedMemory, config.rdbcompression), EntryWriter.RDB, false, onSuccess,
                onFailure);
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
                           Consumer<String> onFailure) {
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
                if (chunk == CANCELLED) {
                    throw new IOException("snapshot cancelled");
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
                runningWriter = null;
                runningQueue = null;
                snapshot.abort();
                if (failure == null) {
                    onSuccess.run();
                } else {
                    onFailure.accept(failure);
                }
                whenDone.forEach(Runnable::run);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            LOG.info("snapshot finished after the node stopped; its file is {}", failure == null ? "complete" : "discarded");
        }
    }

    /** Fsyncs a directory after a rename into it, where the file system allows. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename itself is atomic
        }
    }

    /**
     * Streams a point-in-time snapshot's RDB records to {@code sink} on the command thread (diskless
     * replication); the caller frames them with the RDB header and trailer. False when another
     * snapshot runs.
     */
    public boolean toSink(Consumer<byte[]> sink, Runnable onDone) {
        if (running != null) {
            return false;
        }
        Snapshot snapshot = new Snapshot(keyspace, EntryWriter.RDB, config.rdbcompression, sink);
        running = snapshot;
        runningWriter = null;
        runningQueue = null;
        runningIsRewrite = false;
        startMillis = System.currentTimeMillis();
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
        whenDone.forEach(Runnable::run);
    }

    /**
     * Stops the running snapshot (shutdown, as Redis kills its saving child); its callbacks never run.
     * A snapshot to a file also stops its writer, which removes the temporary file: this waits for
     * that (bounded), so that nothing is left behind in the data directory once the node stopped.
     */
    public void cancel() {
        if (running == null) {
            return;
        }
        running.abort();
        running = null;
        Thread writer = runningWriter;
        if (writer != null) {
            runningQueue.add(CANCELLED);
            runningWriter = null;
            runningQueue = null;
            try {
                writer.join(CANCEL_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
