package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusMessageType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The bus's clock, ten times a second, as Redis's {@code clusterCron}: drop links over the send
 * buffer limit ({@link LinkBufferLimit}), drop handshakes that never
 * completed, connect to nodes without a link, ping a node that has not been heard from for a while
 * (one of five random ones every second, and any whose last PONG is older than half the node
 * timeout, and every tick the replica a manual failover paused us for), reconnect links that went
 * silent, mark PFAIL a node whose PING is unanswered for the node timeout (FAIL at once if the
 * other primaries' reports make a quorum already); then a replica's duties: failover of a failed
 * primary (manual or not), migration to an orphaned one.
 */
final class ClusterCron {
    private final Cluster cluster;
    private final ClusterBus bus;
    private final BusProtocol protocol;
    private final BusMessages messages;
    private final ClusterEffects effects;
    private final FailureDetector failures;
    private final ReplicaFailover failover;
    private final ManualFailover manualFailover;
    private final ReplicaMigration migration;
    private final LinkBufferLimit linkBufferLimit;
    private long iteration;

    ClusterCron(Cluster cluster, ClusterBus bus, BusProtocol protocol, BusMessages messages, ClusterEffects effects,
            FailureDetector failures, ReplicaFailover failover, ManualFailover manualFailover) {
        this.cluster = cluster;
        this.bus = bus;
        this.protocol = protocol;
        this.messages = messages;
        this.effects = effects;
        this.failures = failures;
        this.failover = failover;
        this.manualFailover = manualFailover;
        this.migration = new ReplicaMigration(cluster, effects);
        this.linkBufferLimit = new LinkBufferLimit(cluster);
    }

    void tick(long now) {
        iteration++;
        ClusterState state = cluster.state();
        long timeout = cluster.settings().nodeTimeout();
        long handshakeTimeout = Math.max(timeout, 1000);
        linkBufferLimit.check(); // before reconnecting, so a dropped outbound link comes back at once
        for (ClusterNode n : state.nodes()) {
            if (n.isMyself() || n.has(ClusterNode.NOADDR)) {
                continue;
            }
            if (n.has(ClusterNode.HANDSHAKE) && now - n.createdAt > handshakeTimeout) {
                protocol.forget(n);
                continue;
            }
            if (n.link == null && !n.connecting) {
                if (n.pingSent == 0 && !n.has(ClusterNode.HANDSHAKE | ClusterNode.MEET)) {
                    n.pingSent = now; // unreachable counts as unanswered: PFAIL follows after the timeout
                }
                bus.connect(n);
            }
        }
        if (iteration % 10 == 0) {
            pingOneOfFiveRandom(state);
        }
        boolean updateState = false;
        for (ClusterNode n : state.nodes()) {
            if (n.isMyself() || n.has(ClusterNode.NOADDR | ClusterNode.HANDSHAKE)) {
                continue;
            }
            long pingDelay = now - n.pingSent;
            long dataDelay = now - n.dataReceived;
            if (n.link != null && now - n.link.createdAt > timeout && n.pingSent != 0 && pingDelay > timeout / 2
                    && dataDelay > timeout / 2) {
                n.link.close(); // silent link: reconnect, the ping time is kept
                n.link = null;
            }
            if (n.link != null && n.pingSent == 0 && now - n.pongReceived > timeout / 2) {
                protocol.send(n.link, messages.ping(BusMessageType.PING, now));
                continue;
            }
            if (n.link != null && state.myself().isPrimary() && manualFailover.pausedFor() == n) {
                protocol.send(n.link, messages.ping(BusMessageType.PING, now)); // it waits for our paused offset
                continue;
            }
            if (n.pingSent == 0) {
                continue;
            }
            long nodeDelay = Math.min(pingDelay, dataDelay);
            if (nodeDelay > timeout && !n.has(ClusterNode.PFAIL | ClusterNode.FAIL)) {
                n.flags |= ClusterNode.PFAIL;
                updateState = true;
                failures.markFailingIfNeeded(n, now); // the other primaries' reports may be here already
            }
        }
        manualFailover.checkTimeout(now);
        failover.tick(now);
        migration.tick(now);
        if (updateState || !state.ok()) {
            effects.updateStateLater();
        }
        effects.flush();
    }

    private void pingOneOfFiveRandom(ClusterState state) {
        List<ClusterNode> nodes = new ArrayList<>(state.nodes());
        Collections.shuffle(nodes);
        ClusterNode oldest = null;
        int tried = 0;
        for (ClusterNode n : nodes) {
            if (tried == 5) {
                break;
            }
            if (n.link == null || n.pingSent != 0 || n.has(ClusterNode.MYSELF | ClusterNode.HANDSHAKE)) {
                continue;
            }
            tried++;
            if (oldest == null || n.pongReceived < oldest.pongReceived) {
                oldest = n;
            }
        }
        if (oldest != null) {
            protocol.send(oldest.link, messages.ping(BusMessageType.PING, cluster.clock().getAsLong()));
        }
    }
}
