package io.rookery.node.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.node.RookeryNode;
import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Propagation;
import io.rookery.node.dispatch.Propagator;
import io.rookery.node.dispatch.StreamEncoder;
import io.rookery.node.info.InfoWriter;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication, Redis 7.0's protocol. As a primary: every propagated unit is encoded into the
 * replication stream, kept in the {@link ReplicationBacklog} and sent to online replicas; PSYNC
 * resumes a replica from the backlog (+CONTINUE) when its history and offset allow, or sends a
 * point-in-time RDB (+FULLRESYNC, then "$len" and the file) followed by the stream produced
 * meanwhile. As a replica: a {@link ReplicaLink} follows the primary, and the raw stream it applies is
 * fed into this node's own backlog and sub-replicas unchanged, so offsets stay the primary's (PSYNC2).
 */
public final class Replication implements Propagator {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

    private final RookeryNode node;
    private final NodeConfig config;
    final ReplicationIds ids = new ReplicationIds();
    private final StreamEncoder encoder = new StreamEncoder();
    private final List<ReplicaHandle> replicas = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private ReplicationBacklog backlog;
    private long offset;
    private boolean snapshotRunning;
    private ReplicaLink link;
    /** Whether this node has a replication history to resume (it fed a stream, or synced with a primary). */
    private boolean hasHistory;
    private long noReplicasSince = System.currentTimeMillis();
    long syncFull;
    long syncPartialOk;
    long syncPartialErr;

    private record Waiter(Client client, long target, long replicas, long deadline) {
    }

    public Replication(RookeryNode node) {
        this.node = node;
        this.config = node.config();
    }

    public boolean isReplica() {
        return link != null;
    }

    public long offset() {
        return offset;
    }

    boolean hasHistory() {
        return hasHistory;
    }

    // ---------------------------------------------------------------- the stream

    @Override
    public boolean wantsUnits() {
        return link == null && backlog != null;
    }

    @Override
    public void propagate(List<Propagation.Op> unit) {
        if (link != null || backlog == null) {
            return; // a replica proxies its primary's bytes instead; nobody listens to a lone primary
        }
        ByteBuf buf = Unpooled.buffer(128);
        encoder.encode(unit, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        feed(bytes, 0, bytes.length);
    }

    /** Adds bytes to the stream: the backlog, online replicas, and replicas waiting on a snapshot. */
    void feed(byte[] data, int off, int len) {
        if (backlog == null) {
            backlog = new ReplicationBacklog((int) Math.min(Integer.MAX_VALUE - 16, config.replBacklogSize), offset);
        }
        backlog.append(data, off, len);
        offset = backlog.endOffset();
        hasHistory = true;
        byte[] chunk = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
        for (ReplicaHandle r : replicas) {
            if (r.state == ReplicaHandle.State.ONLINE) {
                r.client.reply().raw(chunk);
                r.client.connection().flushSoon();
            } else if (r.state == ReplicaHandle.State.SENDING_SNAPSHOT) {
                r.pending.add(chunk);
            }
        }
    }

    // ---------------------------------------------------------------- primary side: PSYNC, REPLCONF

    /**
     * PSYNC replid offset (SYNC is PSYNC ? -1): +CONTINUE from the backlog, or a full resynchronization.
     * {@code requested} is Redis's: the 1-based offset of the first byte the replica lacks.
     */
    public void psync(Client c, String replid, long requested) {
        if (link != null && !link.connected()) {
            c.reply().error("NOMASTERLINK Can't SYNC while not connected with my master");
            return;
        }
        ReplicaHandle existing = find(c);
        if (existing != null) {
            replicas.remove(existing);
        }
        boolean sameHistory = replid.equals(ids.replid) || replid.equals(ids.replid2) && requested <= ids.secondOffset;
        long next = requested - 1; // bytes the replica already has
        if (sameHistory && backlog != null && backlog.covers(next)) {
            ReplicaHandle r = new ReplicaHandle(c, ReplicaHandle.State.ONLINE);
            replicas.add(r);
            c.replicaOf = true;
            RespWriter w = c.reply();
            w.raw(("+CONTINUE " + ids.replid + "\r\n").getBytes(StandardCharsets.US_ASCII));
            w.raw(backlog.from(next));
            syncPartialOk++;
            LOG.info("Partial resynchronization request from {} accepted, sending {} bytes of backlog",
                    c.connection().remoteAddress(), offset - next);
            return;
        }
        if (!replid.equals("?")) {
            syncPartialErr++;
        }
        syncFull++;
        ReplicaHandle r = new ReplicaHandle(c, ReplicaHandle.State.WAIT_SNAPSHOT);
        replicas.add(r);
        c.replicaOf = true;
        if (backlog == null) {
            backlog = new ReplicationBacklog((int) Math.min(Integer.MAX_VALUE - 16, config.replBacklogSize), offset);
        }
        startSnapshotIfNeeded();
    }

    /** Starts the snapshot replicas wait for, when none runs; replicas that wait join the next one. */
    private void startSnapshotIfNeeded() {
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
        long at = offset;
        boolean started = node.persistence().snapshotToFile(file, () -> snapshotDone(file, batch, null),
                error -> snapshotDone(file, batch, error));
        if (!started) {
            return; // another snapshot runs: the cron tries again
        }
        snapshotRunning = true;
        encoder.reset(); // the stream after the snapshot must select its database again
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
        io.rookery.node.rdb.RdbFileWriter rdb = new io.rookery.node.rdb.RdbFileWriter(toReplicas, config.rdbchecksum);
        long at = offset;
        boolean started = node.persistence().snapshotToSink(chunk -> writeQuietly(rdb, chunk), () -> {
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
                snapshotDelivered(r);
                LOG.info("Diskless synchronization with replica {} succeeded", r.client.connection().remoteAddress());
            }
            startSnapshotIfNeeded();
        });
        if (!started) {
            return;
        }
        snapshotRunning = true;
        encoder.reset();
        for (ReplicaHandle r : batch) {
            r.state = ReplicaHandle.State.SENDING_SNAPSHOT;
            r.client.reply().raw((fullResyncLine(r, at) + "$EOF:").getBytes(StandardCharsets.US_ASCII));
            r.client.reply().raw(mark);
            r.client.reply().raw("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        writeQuietly(rdb, io.rookery.node.rdb.RdbFileWriter.header(node.usedMemory(), config.rdbcompression));
    }

    /** "+FULLRESYNC replid offset", except for a replica that came with the old SYNC (Redis sends it nothing). */
    private String fullResyncLine(ReplicaHandle r, long at) {
        return r.client.replicaPrePsync ? "" : "+FULLRESYNC " + ids.replid + " " + at + "\r\n";
    }

    /**
     * After the RDB reached a replica: an "rdb-only" one (redis-cli --rdb) is done and disconnected, as
     * Redis does; any other gets the stream produced meanwhile and goes online.
     */
    private void snapshotDelivered(ReplicaHandle r) {
        if (r.client.replicaRdbOnly) {
            replicas.remove(r);
            r.pending.clear();
            r.client.connection().closeAfterFlush();
            return;
        }
        RespWriter w = r.client.reply();
        for (byte[] chunk : r.pending) {
            w.raw(chunk);
        }
        r.pending.clear();
        r.state = ReplicaHandle.State.ONLINE;
        r.client.connection().flushSoon();
    }

    private static void writeQuietly(io.rookery.node.rdb.RdbFileWriter w, byte[] bytes) {
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

    /** REPLCONF option value ...: listening-port, ip-address, capa (accepted), ack (no reply), getack. */
    public void replconf(Client c, byte[][] a) {
        if ((a.length - 1) % 2 != 0) {
            c.reply().error("ERR syntax error");
            return;
        }
        for (int i = 1; i < a.length; i += 2) {
            String opt = new String(a[i], StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            switch (opt) {
                case "ack" -> {
                    ReplicaHandle r = find(c);
                    if (r != null) {
                        long ack = Numbers.parseLong(a[i + 1]);
                        if (ack > r.ackOffset) {
                            r.ackOffset = ack;
                        }
                        r.lastAckMillis = System.currentTimeMillis();
                        checkWaiters();
                    }
                    return; // ACKs get no reply
                }
                case "getack" -> {
                    if (link != null) {
                        link.sendAck();
                    }
                    return;
                }
                case "listening-port" -> c.replicaListeningPort = (int) Math.max(0, Numbers.parseLong(a[i + 1]));
                case "ip-address" -> c.replicaAnnouncedIp = new String(a[i + 1], StandardCharsets.UTF_8);
                case "capa" -> c.replicaCapaEof |= new String(a[i + 1], StandardCharsets.US_ASCII).equalsIgnoreCase("eof");
                case "rdb-only" -> c.replicaRdbOnly = Numbers.parseLong(a[i + 1]) == 1;
                case "rdb-filter-only" -> {
                }
                default -> {
                    c.reply().error("ERR Unrecognized REPLCONF option: " + new String(a[i], StandardCharsets.UTF_8));
                    return;
                }
            }
        }
        c.reply().ok();
    }

    private ReplicaHandle find(Client c) {
        for (ReplicaHandle r : replicas) {
            if (r.client == c) {
                return r;
            }
        }
        return null;
    }

    /** A replica disconnected. */
    public void forget(Client c) {
        replicas.removeIf(r -> r.client == c);
        waiters.removeIf(w -> w.client == c);
    }

    // ---------------------------------------------------------------- WAIT and min-replicas

    /** WAIT numreplicas timeout: replies how many replicas acknowledged this client's writes. */
    public void waitFor(Client c, long numReplicas, long timeoutMillis) {
        long target = offset;
        long acked = acked(target);
        if (acked >= numReplicas || replicas.isEmpty() && numReplicas > 0 && timeoutMillis < 0) {
            c.reply().integer(acked);
            return;
        }
        requestAcks();
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        Waiter w = new Waiter(c, target, numReplicas, deadline);
        waiters.add(w);
        c.blocked = true;
        if (timeoutMillis > 0) {
            node.loop().schedule(() -> finishWait(w), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private long acked(long target) {
        return replicas.stream().filter(r -> r.state == ReplicaHandle.State.ONLINE && r.ackOffset >= target).count();
    }

    private void requestAcks() {
        if (!replicas.isEmpty()) {
            ByteBuf b = Unpooled.buffer();
            StreamEncoder.command(b, bytes("REPLCONF"), bytes("GETACK"), bytes("*"));
            byte[] cmd = new byte[b.readableBytes()];
            b.readBytes(cmd);
            feed(cmd, 0, cmd.length);
        }
    }

    private void checkWaiters() {
        for (Waiter w : new ArrayList<>(waiters)) {
            if (acked(w.target) >= w.replicas) {
                finishWait(w);
            }
        }
    }

    private void finishWait(Waiter w) {
        if (!waiters.remove(w)) {
            return;
        }
        w.client.reply().integer(acked(w.target));
        w.client.blocked = false;
        w.client.connection().flushSoon();
        w.client.connection().resumeInput();
    }

    /** The min-replicas-to-write guard: null when writes may go on, else Redis's NOREPLICAS error. */
    public String noReplicasError() {
        if (config.minReplicasToWrite <= 0 || link != null) {
            return null;
        }
        long now = System.currentTimeMillis();
        long good = replicas.stream().filter(r -> r.state == ReplicaHandle.State.ONLINE
                && now - r.lastAckMillis <= config.minReplicasMaxLag * 1000L).count();
        return good >= config.minReplicasToWrite ? null : "NOREPLICAS Not enough good replicas to write.";
    }

    // ---------------------------------------------------------------- role changes

    /** REPLICAOF host port: follow a primary (dropping our own replicas, which resynchronize). */
    public String replicaOf(String host, int port) {
        if (link != null && link.host().equals(host) && link.port() == port) {
            return "OK Already connected to specified master";
        }
        long downSince = 0;
        if (link != null) {
            downSince = link.connected() ? System.currentTimeMillis() : 0;
            link.close();
        }
        dropReplicas();
        node.keyspace().expireKeys(false);
        link = new ReplicaLink(node, this, host, port);
        link.downSince(downSince);
        link.connect();
        LOG.info("Connecting to MASTER {}:{}", host, port);
        return "OK";
    }

    /** REPLICAOF NO ONE: become a primary; the old history stays valid for partial resyncs (replid2). */
    public void promote() {
        if (link == null) {
            return;
        }
        link.close();
        link = null;
        ids.shift(offset);
        node.keyspace().expireKeys(true);
        encoder.reset();
        LOG.info("MASTER MODE enabled");
    }

    private void dropReplicas() {
        for (ReplicaHandle r : new ArrayList<>(replicas)) {
            r.client.connection().close();
        }
        replicas.clear();
    }

    /** DEBUG CHANGE-REPL-ID: a new replication id and no previous one (replid2 cleared), as Redis. */
    public void changeReplicationId() {
        ids.replid = ReplicationIds.random();
        ids.replid2 = ReplicationIds.NONE;
        ids.secondOffset = -1;
    }

    /** Called by the link once a full synchronization loaded: a new history, starting at {@code at}. */
    void adoptPrimary(String replid, long at) {
        ids.replid = replid;
        ids.replid2 = ReplicationIds.NONE;
        ids.secondOffset = -1;
        offset = at;
        hasHistory = true;
        backlog = new ReplicationBacklog((int) Math.min(Integer.MAX_VALUE - 16, config.replBacklogSize), at);
        dropReplicas();
    }

    /** Called by the link on +CONTINUE with a new id: the primary changed history (it was promoted). */
    void continueWith(String replid) {
        if (!replid.equals(ids.replid)) {
            ids.replid2 = ids.replid;
            ids.secondOffset = offset + 1;
            ids.replid = replid;
        }
    }

    // ---------------------------------------------------------------- cron, INFO, ROLE

    public void cron(long now) {
        startSnapshotIfNeeded();
        if (!replicas.isEmpty()) {
            noReplicasSince = now;
        } else if (link == null && backlog != null && config.replBacklogTtl > 0
                && now - noReplicasSince > config.replBacklogTtl * 1000) {
            // repl-backlog-ttl: a primary without replicas for that long frees its backlog, and a
            // new history starts, as Redis does
            backlog = null;
            ids.shift(offset);
            LOG.info("Replication backlog freed after {} seconds without replicas", config.replBacklogTtl);
        }
        if (link != null) {
            link.cron(now);
        } else if (!replicas.isEmpty() && now / 1000 % config.replPingReplicaPeriod == 0) {
            ByteBuf b = Unpooled.buffer();
            StreamEncoder.command(b, bytes("PING"));
            byte[] ping = new byte[b.readableBytes()];
            b.readBytes(ping);
            feed(ping, 0, ping.length);
        }
        for (Waiter w : new ArrayList<>(waiters)) {
            if (now >= w.deadline) {
                finishWait(w);
            }
        }
    }

    public void info(InfoWriter out) {
        if (link == null) {
            out.field("role", "master");
        } else {
            out.field("role", "slave")
                    .field("master_host", link.host())
                    .field("master_port", link.port())
                    .field("master_link_status", link.connected() ? "up" : "down")
                    .field("master_last_io_seconds_ago", link.lastIoSecondsAgo())
                    .field("master_sync_in_progress", link.syncing() ? 1 : 0)
                    .field("slave_read_repl_offset", offset)
                    .field("slave_repl_offset", offset);
            if (!link.connected()) {
                out.field("master_link_down_since_seconds", link.downSinceSeconds());
            }
            out.field("slave_priority", config.replicaPriority)
                    .field("slave_read_only", config.replicaReadOnly ? 1 : 0)
                    .field("replica_announced", config.replicaAnnounced ? 1 : 0);
        }
        out.field("connected_slaves", replicas.size());
        long now = System.currentTimeMillis();
        int i = 0;
        for (ReplicaHandle r : replicas) {
            String state = r.state == ReplicaHandle.State.ONLINE ? "online" : "wait_bgsave";
            out.field("slave" + i++, "ip=" + r.ip() + ",port=" + r.client.replicaListeningPort + ",state=" + state
                    + ",offset=" + r.ackOffset + ",lag=" + (now - r.lastAckMillis) / 1000);
        }
        out.field("master_failover_state", "no-failover")
                .field("master_replid", ids.replid)
                .field("master_replid2", ids.replid2)
                .field("master_repl_offset", offset)
                .field("second_repl_offset", ids.secondOffset)
                .field("repl_backlog_active", backlog == null ? 0 : 1)
                .field("repl_backlog_size", config.replBacklogSize)
                .field("repl_backlog_first_byte_offset", backlog == null ? 0 : backlog.startOffset() + 1)
                .field("repl_backlog_histlen", backlog == null ? 0 : backlog.held());
    }

    public void role(RespWriter w) {
        if (link == null) {
            w.array(3);
            w.bulk("master");
            w.integer(offset);
            List<ReplicaHandle> online = replicas.stream().filter(r -> r.state == ReplicaHandle.State.ONLINE).toList();
            w.array(online.size());
            for (ReplicaHandle r : online) {
                w.array(3);
                w.bulk(r.ip());
                w.bulk(Integer.toString(r.client.replicaListeningPort));
                w.bulk(Long.toString(r.ackOffset));
            }
            return;
        }
        w.array(5);
        w.bulk("slave");
        w.bulk(link.host());
        w.integer(link.port());
        w.bulk(link.state());
        w.integer(offset);
    }

    public long syncFull() {
        return syncFull;
    }

    public long syncPartialOk() {
        return syncPartialOk;
    }

    public long syncPartialErr() {
        return syncPartialErr;
    }

    /** The largest lag, in bytes, of an online replica's acknowledged offset behind ours. */
    public long maxReplicaLagBytes() {
        long max = 0;
        for (ReplicaHandle r : replicas) {
            if (r.state == ReplicaHandle.State.ONLINE) {
                max = Math.max(max, offset - r.ackOffset);
            }
        }
        return max;
    }

    /** With replica-serve-stale-data no, a replica whose link is down answers MASTERDOWN. */
    public String staleDataError(io.rookery.protocol.command.CommandSpec spec) {
        if (link == null || link.connected() || config.replicaServeStaleData
                || spec.has(io.rookery.protocol.command.CommandFlag.STALE)) {
            return null;
        }
        return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    }

    public int connectedReplicas() {
        return replicas.size();
    }

    public boolean isMasterLinkClient(Client c) {
        return link != null && link.isMasterClient(c);
    }

    public void stop() {
        if (link != null) {
            link.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isCommand(byte[][] args, String name) {
        return args.length > 0 && Args.is(args[0], name);
    }
}
