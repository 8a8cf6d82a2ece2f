package io.rookery.node.persistence;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Propagation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only file, Redis 7.0's multi-part layout in {@code dir/appenddirname}: a manifest, a
 * base file and increment files. Every propagated unit is appended in RESP (SELECT when the
 * database changes; MULTI ... EXEC around units of more than one command) to a buffer that reaches
 * the file before any reply of the batch is sent: with {@code appendfsync always} it is also fsynced
 * then, so an acknowledged write is on disk; with {@code everysec} a background thread fsyncs every
 * second; with {@code no} the OS decides.
 */
final class Aof {
    private static final Logger LOG = LoggerFactory.getLogger(Aof.class);

    private final NodeConfig config;
    private final ByteBuf buffer = Unpooled.buffer(64 * 1024);
    private FileChannel incr;
    private AofManifest manifest;
    private final io.rookery.node.dispatch.StreamEncoder encoder = new io.rookery.node.dispatch.StreamEncoder();
    private volatile boolean unsynced;
    private volatile long lastFsyncMillis = System.currentTimeMillis();
    private Thread fsyncer;
    private volatile boolean closed = true;
    private String lastWriteError;

    Aof(NodeConfig config) {
        this.config = config;
    }

    Path dir() {
        return Path.of(config.dir).resolve(config.appenddirname);
    }

    Path manifestFile() {
        return dir().resolve(config.appendfilename + ".manifest");
    }

    boolean open() {
        return !closed;
    }

    AofManifest manifest() {
        return manifest;
    }

    String lastWriteError() {
        return lastWriteError;
    }

    // ---------------------------------------------------------------- writing

    /** Appends one propagated unit to the buffer. */
    void append(List<Propagation.Op> unit) {
        if (!closed) {
            encoder.encode(unit, buffer);
        }
    }

    /**
     * Writes the buffer to the increment file; under {@code always} also fsyncs. Runs before replies
     * leave, so nothing is acknowledged that is not in the file (and, with always, on disk).
     */
    boolean flush() {
        if (closed || !buffer.isReadable()) {
            return lastWriteError == null;
        }
        try {
            ByteBuffer b = buffer.nioBuffer();
            while (b.hasRemaining()) {
                int n = incr.write(b);
                buffer.skipBytes(n); // what was written is not written again on a retry
            }
            buffer.clear();
            if (config.appendfsync.equals("always")) {
                incr.force(false);
                lastFsyncMillis = System.currentTimeMillis();
            } else {
                unsynced = true;
            }
            lastWriteError = null;
            return true;
        } catch (IOException e) {
            lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.error("Error writing to the AOF file: {}", lastWriteError);
            return false;
        }
    }

    long incrementSize() {
        try {
            return incr == null ? 0 : incr.size();
        } catch (IOException e) {
            return 0;
        }
    }

    long fsyncLagMillis() {
        return unsynced ? System.currentTimeMillis() - lastFsyncMillis : 0;
    }

    // ---------------------------------------------------------------- files

    /**
     * Opens (creating) the increment file named last in {@code m}, appending; with {@code persist} the
     * manifest is written after the file exists, so a manifest on disk never names a missing file
     * (which start-up refuses).
     */
    void openIncrement(AofManifest m, boolean persist) throws IOException {
        Files.createDirectories(dir());
        String name = m.increments().get(m.increments().size() - 1);
        FileChannel opened = FileChannel.open(dir().resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (persist) {
            try {
                m.write(manifestFile());
            } catch (IOException e) {
                opened.close();
                throw e;
            }
        }
        manifest = m;
        incr = opened;
        encoder.reset();
        closed = false;
        startFsyncer();
    }

    /** Starts a new increment file (a rewrite begins); returns the manifest listing old and new. */
    AofManifest nextIncrement() throws IOException {
        flush();
        if (incr != null) {
            incr.force(false);
            incr.close();
        }
        long seq = manifest.lastIncrSeq() + 1;
        List<String> incrs = new ArrayList<>(manifest.increments());
        incrs.add(config.appendfilename + "." + seq + ".incr.aof");
        AofManifest m = new AofManifest(manifest.base(), manifest.baseSeq(), incrs, seq);
        openIncrement(m, true);
        return m;
    }

    /** Installs a new base after a rewrite: the manifest now lists it and the current increment only. */
    void installBase(String baseName, long baseSeq) throws IOException {
        List<String> obsolete = new ArrayList<>(manifest.increments().subList(0, manifest.increments().size() - 1));
        if (manifest.base() != null) {
            obsolete.add(manifest.base());
        }
        String current = manifest.increments().get(manifest.increments().size() - 1);
        AofManifest m = new AofManifest(baseName, baseSeq, List.of(current), manifest.lastIncrSeq());
        m.write(manifestFile());
        manifest = m;
        for (String f : obsolete) {
            Files.deleteIfExists(dir().resolve(f));
        }
    }

    void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            incr.force(false);
            incr.close();
        } catch (IOException e) {
            LOG.warn("closing the AOF: {}", e.getMessage());
        }
        if (fsyncer != null) {
            fsyncer.interrupt();
        }
    }

    private void startFsyncer() {
        if (fsyncer != null && fsyncer.isAlive()) {
            return;
        }
        fsyncer = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                FileChannel ch = incr;
                if (unsynced && config.appendfsync.equals("everysec") && ch != null && ch.isOpen()) {
                    try {
                        unsynced = false;
                        ch.force(false);
                        lastFsyncMillis = System.currentTimeMillis();
                    } catch (IOException e) {
                        LOG.warn("AOF fsync failed: {}", e.getMessage());
                    }
                }
            }
        }, "rookery-aof-fsync");
        fsyncer.setDaemon(true);
        fsyncer.start();
    }
}
