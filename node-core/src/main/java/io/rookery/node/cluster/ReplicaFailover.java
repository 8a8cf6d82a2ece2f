package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.BusMessageType;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica taking over its failed primary, as Redis's {@code clusterHandleSlaveFailover}: it waits
 * 500 ms + a random 0-500 ms + 1 s per better-replicated sibling (so the freshest replica asks
 * first), refuses when its data is older than {@code repl-ping-replica-period + node-timeout x
 * cluster-replica-validity-factor}, asks every primary for a vote in a new epoch, and with votes from
 * a majority of slot-serving primaries takes the epoch, the slots and the primary role. A manual
 * failover ({@link ManualFailover}: CLUSTER FAILOVER once the paused primary's offset is reached, or
 * FORCE at once) asks without delay, with FORCEACK; TAKEOVER skips the election. A won election is
 * acted on as soon as the deciding vote arrives, as Redis does before it next sleeps.
 */
final class ReplicaFailover {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFailover.class);

    private final Cluster cluster;
    private final ClusterEffects effects;
    private final ClusterNodeLinks node;
    private final java.util.function.IntSupplier replPingPeriodSeconds;
    private final ManualFailover manual;
    private BusProtocol protocol;
    private BusMessages messages;

    private long authTime;
    private int authCount;
    private boolean authSent;
    private int authRank;
    private long authEpoch;

    ReplicaFailover(Cluster cluster, ClusterEffects effects, ClusterNodeLinks node, java.util.function.IntSupplier replPingPeriodSeconds,
            ManualFailover manual) {
        this.cluster = cluster;
        this.effects = effects;
        this.node = node;
        this.replPingPeriodSeconds = replPingPeriodSeconds;
        this.manual = manual;
    }

    void wire(BusProtocol protocol, BusMessages messages) {
        this.protocol = protocol;
        this.messages = messages;
    }

    /**
     * CLUSTER FAILOVER [FORCE]: a manual failover (FORCE may start at once; the plain form waits for
     * the paused primary's offset); its election is not delayed.
     */
    void startManual(long now, boolean force) {
        manual.start(now, force);
    }

    /** CLUSTER FAILOVER TAKEOVER: a new epoch without consensus, and the slots. */
    void takeover(long now) {
        manual.startTakeover(now);
        ClusterCommands.bumpWithoutConsensus(cluster);
        replacePrimary();
    }

    /** A vote arrived; the one that makes the quorum promotes this node at once. */
    void acknowledged(ClusterNode voter, BusHeader h, long now) {
        if (voter != null && voter.isPrimary() && voter.slotCount() > 0 && h.currentEpoch() >= authEpoch) {
            authCount++;
            if (authSent && authCount >= cluster.state().size() / 2 + 1) {
                tick(now);
            }
        }
    }

    /** The cron's part (and a won vote's): Redis's clusterHandleManualFailover + clusterHandleSlaveFailover. */
    void tick(long now) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        ClusterNode primary = me.primary();
        if (me.isReplica()) {
            manual.advance();
        }
        boolean manualCanStart = manual.canStart();
        boolean manualUnderWay = manual.inProgress();
        if (!me.isReplica() || primary == null || !(primary.has(ClusterNode.FAIL) || manualCanStart)
                || (cluster.settings().replicaNoFailover() && !manualCanStart) || primary.slotCount() == 0) {
            return;
        }
        long timeout = cluster.settings().nodeTimeout();
        long dataAge = node.replicationDataAge(now) - timeout;
        long factor = cluster.settings().replicaValidityFactor();
        if (!manualCanStart && factor > 0 && dataAge > replPingPeriodSeconds.getAsInt() * 1000L + timeout * factor) {
            return; // too stale to be trusted with the slots
        }
        long authTimeout = Math.max(timeout * 2, 2000);
        long authRetry = authTimeout * 2;
        if (now - authTime > authRetry) {
            authTime = now + 500 + ThreadLocalRandom.current().nextLong(500);
            authCount = 0;
            authSent = false;
            authRank = rank(state, me, primary);
            authTime += authRank * 1000L;
            if (manualUnderWay) {
                authTime = now;
                authRank = 0;
            }
            LOG.info("Start of election delayed for {} milliseconds (rank #{}, offset {}).", authTime - now, authRank,
                    cluster.myReplicationOffset());
            if (!manualUnderWay) {
                // ask at the delay's end, not at the first cron tick after it
                cluster.schedule(authTime + 1, () -> {
                    tick(cluster.clock().getAsLong());
                    effects.flush();
                });
                return; // a manual failover asks for votes right away
            }
        }
        if (!authSent && !manualUnderWay) {
            int newRank = rank(state, me, primary);
            if (newRank > authRank) {
                authTime += (newRank - authRank) * 1000L;
                authRank = newRank;
            }
        }
        if (now < authTime || now - authTime > authTimeout) {
            return;
        }
        if (!authSent) {
            state.currentEpoch++;
            authEpoch = state.currentEpoch;
            LOG.info("Starting a failover election for epoch {}.", authEpoch);
            BusMessage request = messages.empty(BusMessageType.FAILOVER_AUTH_REQUEST);
            if (manualUnderWay) {
                BusHeader h = request.header();
                request = new BusMessage(new BusHeader(h.type(), h.port(), h.currentEpoch(), h.configEpoch(), h.offset(),
                        h.sender(), h.slots(), h.replicaOf(), h.myIp(), h.pport(), h.cport(), h.nodeFlags(), h.state(),
                        BusHeader.FLAG_FORCEACK), request.body());
            }
            protocol.broadcast(request);
            authSent = true;
            effects.saveLater();
            return;
        }
        int quorum = state.size() / 2 + 1;
        if (authCount >= quorum) {
            LOG.info("Failover election won: I'm the new master.");
            if (me.configEpoch < authEpoch) {
                me.configEpoch = authEpoch;
            }
            replacePrimary();
        }
    }

    /** Siblings with a better replication offset go first. */
    private int rank(ClusterState state, ClusterNode me, ClusterNode primary) {
        long mine = cluster.myReplicationOffset();
        int rank = 0;
        for (ClusterNode sibling : primary.replicas()) {
            if (sibling != me && !sibling.has(ClusterNode.NOFAILOVER) && sibling.replOffset() > mine) {
                rank++;
            }
        }
        return rank;
    }

    /** Redis's clusterFailoverReplaceYourMaster: primary role, the old primary's slots, everyone told. */
    private void replacePrimary() {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        ClusterNode old = me.primary();
        if (!me.isReplica() || old == null) {
            return;
        }
        effects.setAsPrimary(me);
        cluster.stats().failedOver();
        node.promote();
        for (int s = old.slots.nextSetBit(0); s >= 0; s = old.slots.nextSetBit(s + 1)) {
            state.assign(s, me);
        }
        effects.updateStateLater();
        effects.saveLater();
        effects.flush();
        protocol.broadcast(messages.ping(BusMessageType.PONG, cluster.clock().getAsLong()));
        manual.reset();
    }
}
