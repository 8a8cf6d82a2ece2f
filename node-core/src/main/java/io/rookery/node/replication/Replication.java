package io.rookery.node.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.rookery.node.NodeIdentity;
import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.Propagation;
import io.rookery.node.dispatch.Propagator;
import io.rookery.node.dispatch.StreamEncoder;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.persistence.SnapshotWriter;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication, Redis 7.0's protocol: this node's role and the parts that serve it. The
 * {@link ReplicationStream} is the history (ids, offset, backlog); every propagated unit is encoded
 * into it. As a primary, {@link PrimarySync} answers PSYNC (partial or full resynchronization) and
 * streams to replicas, and {@link ReplicaAcks} tracks their acknowledgements (WAIT, min-replicas). As
 * a replica, a {@link ReplicaLink} follows the primary, and the raw stream it applies is fed into this
 * node's own history and sub-replicas unchanged, so offsets stay the primary's (PSYNC2).
 */
public final class Replication implements Propagator {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final ReplicaLink.Parts linkParts;
    private final ReplicationStream stream;
    private final PrimarySync sync;
    private final ReplicaAcks acks;
    private final Dispatcher dispatcher;
    private ReplicaLink link;
    private long noReplicasSince = System.currentTimeMillis();

    /**
     * @param snapshots  the point-in-time snapshots a full resynchronization sends
     * @param usedMemory INFO used_memory, for the RDB header's used-mem field
     */
    public Replication(NodeConfig config, Keyspace keyspace, TypeContext types, Dispatcher dispatcher, EventLoop loop,
                       NodeIdentity identity, SnapshotWriter snapshots, LongSupplier usedMemory) {
        this.config = config;
        this.keyspace = keyspace;
        this.dispatcher = dispatcher;
        this.linkParts = new ReplicaLink.Parts(config, keyspace, types, dispatcher, loop, identity);
        this.stream = new ReplicationStream(config);
        this.sync = new PrimarySync(config, stream, snapshots, usedMemory, () -> link != null && !link.connected());
        this.acks = new ReplicaAcks(config, loop, sync::replicas, stream::offset, this::isReplica,
                bytes -> feed(bytes, 0, bytes.length));
    }

    public boolean isReplica() {
        return link != null;
    }

    public long offset() {
        return stream.offset();
    }

    boolean hasHistory() {
        return stream.hasHistory();
    }

    /** The current replication id (PSYNC's first argument when resuming). */
    String replid() {
        return stream.ids.replid;
    }

    // ---------------------------------------------------------------- the stream

    @Override
    public boolean wantsUnits() {
        return link == null && stream.backlog() != null;
    }

    @Override
    public int target() {
        return REPLICAS;
    }

    @Override
    public void propagate(List<Propagation.Op> unit) {
        if (link != null || stream.backlog() == null) {
            return; // a replica proxies its primary's bytes instead; nobody listens to a lone primary
        }
        byte[] bytes = stream.encode(unit);
        feed(bytes, 0, bytes.length);
    }

    /** Adds bytes to the stream: the history, online replicas, and replicas waiting on a snapshot. */
    void feed(byte[] data, int off, int len) {
        sync.deliver(stream.append(data, off, len));
    }

    // ---------------------------------------------------------------- primary side: PSYNC, REPLCONF, WAIT

    /**
     * PSYNC replid offset (SYNC is PSYNC ? -1): +CONTINUE from the backlog, or a full resynchronization.
     * {@code requested} is Redis's: the 1-based offset of the first byte the replica lacks.
     */
    public void psync(Client c, String replid, long requested) {
        sync.psync(c, replid, requested);
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
                    ReplicaHandle r = sync.find(c);
                    if (r != null) {
                        acks.acknowledged(r, Numbers.parseLong(a[i + 1]));
                        sync.acknowledged(r);
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

    /** A client disconnected: a replica, or a client blocked in WAIT. */
    public void forget(Client c) {
        sync.forget(c);
        acks.forget(c);
    }

    /** WAIT numreplicas timeout: replies how many replicas acknowledged this client's writes. */
    public void waitFor(Client c, long numReplicas, long timeoutMillis) {
        acks.waitFor(c, numReplicas, timeoutMillis);
    }

    /** The min-replicas-to-write stage: null when writes may go on, else Redis's NOREPLICAS error. */
    public String noReplicasError() {
        return acks.noReplicasError();
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
        sync.dropReplicas();
        keyspace.expireKeys(false);
        link = new ReplicaLink(this, linkParts, host, port);
        link.downSince(downSince);
        link.connect();
        LOG.info("Connecting to MASTER {}:{}", host, port);
        return "OK";
    }

    /**
     * How old this replica's data is, in ms: 0 on a primary, else the time since the primary was last
     * heard from (cluster failover refuses replicas whose data is too old).
     */
    public long masterDataAgeMillis(long now) {
        return link == null ? 0 : link.dataAgeMillis(now);
    }

    /** REPLICAOF NO ONE: become a primary; the old history stays valid for partial resyncs (replid2). */
    public void promote() {
        if (link == null) {
            return;
        }
        link.close();
        link = null;
        stream.newHistory();
        keyspace.expireKeys(true);
        stream.resetEncoder();
        LOG.info("MASTER MODE enabled");
    }

    /** DEBUG CHANGE-REPL-ID: a new replication id and no previous one (replid2 cleared), as Redis. */
    public void changeReplicationId() {
        stream.changeId();
    }

    /** Called by the link once a full synchronization loaded: a new history, starting at {@code at}. */
    void adoptPrimary(String replid, long at) {
        stream.adopt(replid, at);
        sync.dropReplicas();
    }

    /** Called by the link on +CONTINUE with a new id: the primary changed history (it was promoted). */
    void continueWith(String replid) {
        stream.continueWith(replid);
    }

    // ---------------------------------------------------------------- cron, INFO, ROLE

    public void cron(long now) {
        List<ReplicaHandle> replicas = sync.replicas();
        sync.startSnapshotIfNeeded();
        if (!replicas.isEmpty()) {
            noReplicasSince = now;
        } else if (link == null && stream.backlog() != null && config.replBacklogTtl > 0
                && now - noReplicasSince > config.replBacklogTtl * 1000) {
            // repl-backlog-ttl: a primary without replicas for that long frees its backlog, and a
            // new history starts, as Redis does
            stream.dropBacklog();
            LOG.info("Replication backlog freed after {} seconds without replicas", config.replBacklogTtl);
        }
        if (link != null) {
            link.cron(now);
        } else if (!replicas.isEmpty() && now / 1000 % config.replPingReplicaPeriod == 0
                && !dispatcher.writesPausedForFailover(now)) {
            // no PING while a cluster manual failover waits for the replica to reach our offset, as Redis
            ByteBuf b = Unpooled.buffer();
            StreamEncoder.command(b, bytes("PING"));
            byte[] ping = new byte[b.readableBytes()];
            b.readBytes(ping);
            feed(ping, 0, ping.length);
        }
        acks.cron(now);
    }

    public void info(InfoWriter out) {
        List<ReplicaHandle> replicas = sync.replicas();
        long offset = stream.offset();
        ReplicationIds ids = stream.ids;
        ReplicationBacklog backlog = stream.backlog();
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
        long offset = stream.offset();
        if (link == null) {
            w.array(3);
            w.bulk("master");
            w.integer(offset);
            List<ReplicaHandle> online = sync.replicas().stream().filter(r -> r.state == ReplicaHandle.State.ONLINE).toList();
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
        return sync.syncFull();
    }

    public long syncPartialOk() {
        return sync.syncPartialOk();
    }

    public long syncPartialErr() {
        return sync.syncPartialErr();
    }

    /** The largest lag, in bytes, of an online replica's acknowledged offset behind ours. */
    public long maxReplicaLagBytes() {
        return acks.maxLagBytes();
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
        return sync.replicas().size();
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
