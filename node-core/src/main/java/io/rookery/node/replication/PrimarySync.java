package io.rookery.node.replication;

import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.persistence.SnapshotWriter;
import io.rookery.node.rdb.RdbFileWriter;
import io.rookery.protocol.RespWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary side of synchronization, Redis 7.0's protocol: PSYNC resumes a replica from the backlog
 * (+CONTINUE) when its history and offset allow, or sends a point-in-time RDB taken by the
 * {@link SnapshotWriter} (+FULLRESYNC, then "$len" and the file, or diskless "$EOF:mark" RDB mark)
 * followed by the stream produced meanwhile; then the stream goes to every online replica as it is
 * produced. Replicas that wait for a snapshot share the next one.
 */
final class PrimarySync {
    private static final Logger LOG = LoggerFactory.getLogger(PrimarySync.class);

    private final NodeConfig config;
    private final ReplicationStream stream;
    private final SnapshotWriter snapshots;
    private final LongSupplier usedMemory;
    private final BooleanSupplier masterLinkDown;
    private final List<ReplicaHandle> replicas = new ArrayList<>();
    private boolean snapshotRunning;
    private long syncFull;
    private long syncPartialOk;
    private long syncPartialErr;

    /**
     * @param masterLinkDown true while this node is a replica whose link to its primary is down
     *                       (a sub-replica then gets NOMASTERLINK)
     */
    PrimarySync(NodeConfig config, ReplicationStream stream, SnapshotWriter snapshots, LongSupplier usedMemory,
                BooleanSupplier masterLinkDown) {
        this.config = config;
        this.stream = stream;
        this.snapshots = snapshots;
        this.usedMemory = usedMemory;
        this.masterLinkDown = masterLinkDown;
    }

    /** The attached replicas, in attach order (read-only). */
    List<ReplicaHandle> replicas() {
        return Collections.unmodifiableList(replicas);
    }

    /** Sends stream bytes to online replicas, and keeps them for replicas waiting on a snapshot. */
    void deliver(byte[] chunk) {
        for (ReplicaHandle r : replicas) {
            if (r.state == ReplicaHandle.State.ONLINE && !r.streamOnAck) {
                r.client.reply().raw(chunk);
                r.client.connection().flushSoon();
            } else if (r.state == ReplicaHandle.State.SENDING_SNAPSHOT || r.streamOnAck) {
                r.pending.add(chunk);
            }
        }
    }

    /**
     * PSYNC replid offset (SYNC is PSYNC ? -1): +CONTINUE from the backlog, or a full resynchronization.
     * {@code requested} is Redis's: the 1-based offset of the first byte the replica lacks.
     */
    void psync(Client c, String replid, long requested) {
        if (masterLinkDown.getAsBoolean()) {
            c.reply().error("NOMASTERLINK Can't SYNC while not connected with my master");
            return;
        }
        ReplicaHandle existing = find(c);
        if (existing != null) {
            replicas.remove(existing);
        }
        boolean sameHistory = replid.equals(stream.ids.replid) || replid.equals(stream.ids.replid2) && requested <= stream.ids.secondOffset;
        long next = requested - 1; // bytes the replica already has
        if (sameHistory && stream.backlog() != null && stream.backlog().covers(next)) {
            ReplicaHandle r = new ReplicaHandle(c, ReplicaHandle.State.ONLINE);
            replicas.add(r);
            c.replicaOf = true;
            RespWriter w = c.reply();
            w.raw(("+CONTINUE " + stream.ids.replid + "\r\n").getBytes(StandardCharsets.US_ASCII));
            w.raw(stream.backlog().from(next));
            syncPartialOk++;
            LOG.info("Partial resynchronization request from {} accepted, sending {} bytes of backlog",
                    c.connection().remoteAddress(), stream.offset() - next);
            return;
        }
        if (!replid.equals("?")) {
            syncPartialErr++;
        }
        syncFull++;
        ReplicaHandle r = new ReplicaHandle(c, ReplicaHandle.State.WAIT_SNAPSHOT);
        replicas.add(r);
        c.replicaOf = true;
        stream.ensureBacklog();
        startSnapshotIfNeeded();
    }

    /** Starts the snapshot replicas wait for, when none runs; replicas that wait join the next one. */
    void startSnapshotIfNeeded() {
        if (snapshotRunning || replicas.stream().noneMatch(r -> r.state == ReplicaHandle.State.WAIT_SNAPSHOT)) {
            return;
        }
        if (config.replDisklessSync && replicas.stream()
                .noneMatch(r -> r.state == ReplicaHandle.State.WAIT_SNAPSHOT && !r.client.replicaCapaEof)) {
            startDisklessSync();
            return;
        }
        Path file = Path.of(config.dir).resolve("temp-repl-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".rdb");
        List<ReplicaHandle> batch = new ArrayList<>();
        long at = stream.offset();
        boolean started = snapshots.rdbToFile(file, usedMemory.getAsLong(), () -> snapshotDone(file, batch, null),
                error -> snapshotDone(file, batch, error));
        if (!started) {
            return; // another snapshot runs: the cron tries again
        }
        snapshotRunning = true;
        stream.resetEncoder(); // the stream after the snapshot must select its database again
        for (ReplicaHandle r : replicas) {
            if (r.state == ReplicaHandle.State.WAIT_SNAPSHOT) {
                r.state = ReplicaHandle.State.SENDING_SNAPSHOT;
                r.client.reply().raw(fullResyncLine(r, at).getBytes(StandardCharsets.US_ASCII));
                r.client.connection().flushSoon();
                batch.add(r);
            }
        }
    }

    /**
     * Diskless full sync: once {@code repl-diskless-sync-delay} has passed since the first replica began
     * waiting (so later ones can share the transfer), the snapshot streams straight to every waiting
     * replica as "$EOF:mark", the RDB, then the mark; the stream made meanwhile follows.
     */
    private void startDisklessSync() {
        long now = System.currentTimeMillis();
        long firstWait = replicas.stream().filter(r -> r.state == ReplicaHandle.State.WAIT_SNAPSHOT)
                .mapToLong(r -> r.waitingSince).min().orElse(now);
        if (now - firstWait < config.replDisklessSyncDelay * 1000L) {
            return; // the cron looks again
        }
        List<ReplicaHandle> batch = replicas.stream().filter(r -> r.state == ReplicaHandle.State.WAIT_SNAPSHOT).toList();
        byte[] mark = ReplicationIds.random().getBytes(StandardCharsets.US_ASCII);
        java.io.OutputStream toReplicas = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + len);
                for (ReplicaHandle r : batch) {
                    if (replicas.contains(r)) {
                        r.client.reply().raw(chunk);
                        r.client.connection().flushSoon();
                    }
                }
            }
        };
        RdbFileWriter rdb = new RdbFileWriter(toReplicas, config.rdbchecksum);
        long at = stream.offset();
        boolean started = snapshots.toSink(chunk -> writeQuietly(rdb, chunk), () -> {
            snapshotRunning = false;
            try {
                rdb.finish();
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
            for (ReplicaHandle r : batch) {
                if (!replicas.contains(r)) {
                    continue;
                }
                r.client.reply().raw(mark);
                r.streamOnAck = !r.client.replicaRdbOnly;
                snapshotDelivered(r);
                LOG.info("Diskless synchronization with replica {} succeeded", r.client.connection().remoteAddress());
            }
            startSnapshotIfNeeded();
        });
        if (!started) {
            return;
        }
        snapshotRunning = true;
        stream.resetEncoder();
        for (ReplicaHandle r : batch) {
            r.state = ReplicaHandle.State.SENDING_SNAPSHOT;
            r.client.reply().raw((fullResyncLine(r, at) + "$EOF:").getBytes(StandardCharsets.US_ASCII));
            r.client.reply().raw(mark);
            r.client.reply().raw("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        writeQuietly(rdb, RdbFileWriter.header(usedMemory.getAsLong(), config.rdbcompression));
    }

    /** "+FULLRESYNC replid offset", except for a replica that came with the old SYNC (Redis sends it nothing). */
    private String fullResyncLine(ReplicaHandle r, long at) {
        return r.client.replicaPrePsync ? "" : "+FULLRESYNC " + stream.ids.replid + " " + at + "\r\n";
    }

    /**
     * After the RDB reached a replica: an "rdb-only" one (redis-cli --rdb) is done and disconnected, as
     * Redis does; any other goes online and gets the stream produced meanwhile, at once or, after a
     * diskless RDB, on its first ACK ({@link ReplicaHandle#streamOnAck}).
     */
    private void snapshotDelivered(ReplicaHandle r) {
        if (r.client.replicaRdbOnly) {
            replicas.remove(r);
            r.pending.clear();
            r.client.connection().closeAfterFlush();
            return;
        }
        r.state = ReplicaHandle.State.ONLINE;
        if (!r.streamOnAck) {
            startCommandStream(r);
        }
        r.client.connection().flushSoon();
    }

    /** The first REPLCONF ACK from {@code r}: a replica held after a diskless RDB gets its stream now. */
    void acknowledged(ReplicaHandle r) {
        if (r.streamOnAck && r.state == ReplicaHandle.State.ONLINE) {
            r.streamOnAck = false;
            startCommandStream(r);
            r.client.connection().flushSoon();
        }
    }

    private static void startCommandStream(ReplicaHandle r) {
        RespWriter w = r.client.reply();
        for (byte[] chunk : r.pending) {
            w.raw(chunk);
        }
        r.pending.clear();
    }

    private static void writeQuietly(RdbFileWriter w, byte[] bytes) {
        try {
            w.write(bytes);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible); // the stream writes into memory buffers
        }
    }

    private void snapshotDone(Path file, List<ReplicaHandle> batch, String error) {
        snapshotRunning = false;
        try {
            if (error != null) {
                LOG.warn("Snapshot for replica synchronization failed: {}", error);
                for (ReplicaHandle r : batch) {
                    r.client.connection().close();
                }
                return;
            }
            byte[] rdb = Files.readAllBytes(file);
            for (ReplicaHandle r : batch) {
                if (!replicas.contains(r)) {
                    continue;
                }
                RespWriter w = r.client.reply();
                w.raw(("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                w.raw(rdb);
                snapshotDelivered(r);
                LOG.info("Synchronization with replica {} succeeded", r.client.connection().remoteAddress());
            }
        } catch (IOException e) {
            LOG.warn("Reading the replication snapshot failed: {}", e.getMessage());
            batch.forEach(r -> r.client.connection().close());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file in dir; it will be overwritten next time
            }
            startSnapshotIfNeeded();
        }
    }

    ReplicaHandle find(Client c) {
        for (ReplicaHandle r : replicas) {
            if (r.client == c) {
                return r;
            }
        }
        return null;
    }

    /** A replica disconnected. */
    void forget(Client c) {
        replicas.removeIf(r -> r.client == c);
    }

    /** Closes every replica's connection (this node follows another primary now; they resynchronize). */
    void dropReplicas() {
        for (ReplicaHandle r : new ArrayList<>(replicas)) {
            r.client.connection().close();
        }
        replicas.clear();
    }

    long syncFull() {
        return syncFull;
    }

    long syncPartialOk() {
        return syncPartialOk;
    }

    long syncPartialErr() {
        return syncPartialErr;
    }
}
