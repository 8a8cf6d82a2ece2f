package io.rookery.node.cluster;

import io.netty.channel.EventLoop;
import io.rookery.node.keyspace.SlotKeyIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode of a node: its view of the cluster ({@link ClusterState}), the config file that keeps
 * that view across restarts, the settings, and the index of keys by slot. Commands and the gate's
 * slot stage work through it; it exists only when {@code cluster-enabled yes}.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSettings settings;
    private final ClusterState state;
    private final NodesConfFile file;
    private final SlotKeyIndex keysBySlot;
    private final LongSupplier replicationOffset;
    private final ClusterStats stats = new ClusterStats();
    private final SlotStats slotStats;
    private final LongSupplier clock = System::currentTimeMillis;
    private final EventLoop loop;
    private final ClusterNodeLinks links;
    private final ClusterBus bus;
    private final BusMessages messages;
    private final ClusterEffects effects;
    private final BusProtocol protocol;
    private final ClusterCron cron;
    private final ReplicaFailover failover;
    private final ManualFailover manualFailover;
    private ScheduledFuture<?> cronTask;
    private volatile boolean closed;

    private Cluster(ClusterSettings settings, ClusterState state, NodesConfFile file, SlotKeyIndex keysBySlot,
            LongSupplier replicationOffset, EventLoop loop, ClusterNodeLinks links, java.util.function.IntSupplier replPingPeriod) {
        this.settings = settings;
        this.state = state;
        this.file = file;
        this.keysBySlot = keysBySlot;
        this.replicationOffset = replicationOffset;
        this.loop = loop;
        this.links = links;
        this.slotStats = new SlotStats(settings.slotStatsEnabled());
        settings.onSlotStatsEnabledChange(slotStats::enabled);
        state.onOwnerChange(slotStats::resetSlot);
        this.bus = new ClusterBus(loop, clock, stats);
        this.messages = new BusMessages(this);
        this.manualFailover = new ManualFailover(this, links);
        this.effects = new ClusterEffects(this, links, manualFailover);
        FailureDetector failures = new FailureDetector(this, effects);
        this.failover = new ReplicaFailover(this, effects, links, replPingPeriod, manualFailover);
        this.protocol = new BusProtocol(this, messages, failures, effects, new FailoverVotes(this, effects), failover,
                manualFailover);
        failures.wire(protocol, messages, failover);
        failover.wire(protocol, messages);
        manualFailover.wire(protocol, messages);
        bus.events(protocol);
        this.cron = new ClusterCron(this, bus, protocol, messages, effects, failures, failover, manualFailover);
    }

    /**
     * Opens (and locks) the config file in {@code dir}, loads the cluster view it holds or starts a new
     * one, announces this node's ports, and writes the file back, as Redis's {@code clusterInit}.
     */
    public static Cluster start(ClusterSettings settings, Path dir, SlotKeyIndex keysBySlot, LongSupplier replicationOffset,
            EventLoop loop, ClusterNodeLinks links, java.util.function.IntSupplier replPingPeriod, long now)
            throws ClusterConfigException {
        NodesConfFile file = NodesConfFile.open(dir.resolve(settings.configFile()));
        ClusterState state = file.load(now);
        if (state == null) {
            state = ClusterState.fresh(now);
            LOG.info("No cluster configuration found, I'm {}", state.myself().name());
        }
        Cluster cluster = new Cluster(settings, state, file, keysBySlot, replicationOffset, loop, links, replPingPeriod);
        cluster.announceMyself();
        state.updateState(settings.requireFullCoverage());
        try {
            file.save(state);
        } catch (IOException e) {
            throw new ClusterConfigException("Unable to write the cluster config file " + file.path() + ": " + e.getMessage());
        }
        return cluster;
    }

    /** Myself as other nodes must see it: announced ip, ports and hostname. */
    void announceMyself() {
        ClusterNode me = state.myself();
        me.port = settings.announcedPort();
        me.cport = settings.announcedBusPort();
        me.hostname = settings.announceHostname();
        if (!settings.announceIp().isEmpty()) {
            me.ip = settings.announceIp();
        }
    }

    /**
     * The client port is known once the node listens (port 0 picks one): announce it, and the bus port
     * derived from it, keep them in the config file, open the bus and start its cron. Called by the
     * thread that starts the node, not the command thread.
     */
    public void portsBound(List<String> bind) {
        loop.submit(() -> {
            announceMyself();
            saveOrDie();
        }).syncUninterruptibly();
        bus.listen(bind, settings.busPort()); // waits for the bind: never on the command thread
        cronTask = loop.scheduleAtFixedRate(() -> cron.tick(clock.getAsLong()), 100, 100, TimeUnit.MILLISECONDS);
        loop.execute(() -> {
            ClusterNode me = state.myself();
            if (me.isReplica() && me.primary() != null && !me.primary().ip.isEmpty()) {
                effects.replicate(me.primary());
            }
        });
    }

    LongSupplier clock() {
        return clock;
    }

    /**
     * Runs {@code task} on the command thread at {@code atMillis} (a failover election that must
     * not wait for the next cron tick), unless the cluster was closed by then.
     */
    void schedule(long atMillis, Runnable task) {
        long delay = Math.max(0, atMillis - clock.getAsLong());
        loop.schedule(() -> {
            if (!closed) {
                task.run();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Applies deferred config saves and state updates (after each command, as Redis's beforeSleep). */
    public void afterCommand() {
        effects.flush();
    }

    /**
     * CLUSTER MEET: a handshake node for that address, greeted with MEET by the cron. An address
     * already in handshake is not added twice.
     */
    void meet(String ip, int port, int cport) {
        for (ClusterNode n : state.nodes()) {
            if (n.has(ClusterNode.HANDSHAKE) && n.ip.equalsIgnoreCase(ip) && n.port == port && n.cport == cport) {
                return;
            }
        }
        ClusterNode n = new ClusterNode(ClusterState.randomName(), ClusterNode.HANDSHAKE | ClusterNode.MEET, clock.getAsLong());
        n.ip = ip;
        n.port = port;
        n.cport = cport;
        state.add(n);
        effects.saveLater();
    }

    /** CLUSTER FORGET: drop the node and ignore gossip about it for a minute. */
    void forget(ClusterNode node) {
        effects.forget(node.name(), clock.getAsLong());
        protocol.forget(node);
    }

    /** CLUSTER FAILOVER [FORCE|TAKEOVER] (checks done by the command). */
    void failover(boolean force, boolean takeover) {
        if (takeover) {
            failover.takeover(clock.getAsLong());
        } else {
            failover.startManual(clock.getAsLong(), force);
        }
    }

    /** The manual failover under way, if any (its PAUSED/FORCEACK flags go into every header). */
    ManualFailover manualFailover() {
        return manualFailover;
    }

    /**
     * CLUSTER RESET: a replica becomes an empty primary; every slot and every other node is forgotten;
     * HARD also zeroes the epochs and takes a new name, as Redis's clusterReset.
     */
    void reset(boolean hard) {
        ClusterNode me = state.myself();
        manualFailover.reset();
        if (me.isReplica()) {
            effects.setAsPrimary(me);
            links.promote();
            links.emptyData();
        }
        for (int s = 0; s < ClusterState.SLOTS; s++) {
            state.migratingTo(s, null);
            state.importingFrom(s, null);
            state.unassign(s);
        }
        for (ClusterNode n : state.nodes()) {
            if (!n.isMyself()) {
                protocol.forget(n);
            }
        }
        if (hard) {
            state.currentEpoch = 0;
            state.lastVoteEpoch = 0;
            me.configEpoch = 0;
            state.rename(me, ClusterState.randomName());
        }
        effects.updateStateLater();
        effects.saveLater();
        effects.flush();
    }

    /** CLUSTER REPLICATE. */
    void replicate(ClusterNode primary) {
        effects.setMyPrimary(primary);
    }

    /**
     * PUBLISH reaches every other node over the bus; SPUBLISH only the nodes of the channel's shard
     * (the slot's primary and its replicas), as Redis's clusterPropagatePublish / shard variant.
     */
    public void publish(byte[] channel, byte[] message, boolean sharded) {
        if (!sharded) {
            protocol.broadcast(messages.publish(channel, message, false));
            return;
        }
        ClusterNode owner = state.owner(io.rookery.protocol.cluster.SlotHash.slot(channel));
        if (owner == null) {
            return;
        }
        List<ClusterNode> shard = new java.util.ArrayList<>(owner.replicas());
        shard.add(owner);
        for (ClusterNode n : shard) {
            if (!n.isMyself() && n.link != null) {
                protocol.send(n.link, messages.publish(channel, message, true));
            }
        }
    }

    /** A picture of the cluster for readers off the command thread; take it on the command thread. */
    public ClusterSnapshot snapshot() {
        return ClusterSnapshot.of(state);
    }

    public ClusterState state() {
        return state;
    }

    public ClusterSettings settings() {
        return settings;
    }

    public SlotKeyIndex keysBySlot() {
        return keysBySlot;
    }

    public ClusterStats stats() {
        return stats;
    }

    /** Per-slot cpu and network (CLUSTER SLOT-STATS); the gate and the dispatcher's call observers feed it. */
    public SlotStats slotStats() {
        return slotStats;
    }

    /** This node's replication offset (CLUSTER SHARDS, the bus header). */
    long myReplicationOffset() {
        return replicationOffset.getAsLong();
    }

    /** Recomputes ok/fail after a change of slots or node health. */
    void updateState() {
        state.updateState(settings.requireFullCoverage());
    }

    /**
     * Writes the config file now. A node that cannot keep its cluster config must not go on (Redis's
     * {@code clusterSaveConfigOrDie}): the caller turns the failure into an exit.
     */
    void save() throws IOException {
        file.save(state);
    }

    /** Saves, or stops the process when the file cannot be written, as Redis does. */
    void saveOrDie() {
        try {
            save();
        } catch (IOException e) {
            LOG.error("Fatal: can't update cluster config file.", e);
            Runtime.getRuntime().halt(1);
        }
    }

    /** Stops the bus and releases the config file (its lock) for the next node. */
    @Override
    public void close() {
        closed = true;
        if (cronTask != null) {
            cronTask.cancel(false);
        }
        bus.close();
        for (ClusterNode n : state.nodes()) {
            if (n.link != null) {
                n.link.close();
            }
            if (n.inboundLink != null) {
                n.inboundLink.close();
            }
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("could not release the cluster config file lock", e);
        }
    }
}
