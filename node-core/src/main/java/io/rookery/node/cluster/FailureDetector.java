package io.rookery.node.cluster;

import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns suspicion into failure as Redis does: a node that misses its PONG for the node timeout is
 * PFAIL here; when a majority of slot-serving primaries (this one included, if it is a primary)
 * report it PFAIL or FAIL within twice the node timeout, it is FAIL, and everyone is told. FAIL is
 * cleared when a replica or slotless primary is reachable again, or when a primary with slots is
 * reachable long after (twice the node timeout) nobody failed it over.
 *
 * <p>The quorum is checked whenever it may have been reached: when a report arrives (as Redis) and
 * when this node itself marks the node PFAIL (reports from others may have come first; Valkey does
 * the same). A replica whose primary fails starts its failover at once, not at the next cron tick.
 */
final class FailureDetector {
    private static final Logger LOG = LoggerFactory.getLogger(FailureDetector.class);

    private final Cluster cluster;
    private final ClusterEffects effects;
    private BusProtocol protocol;
    private BusMessages messages;
    private ReplicaFailover failover;

    FailureDetector(Cluster cluster, ClusterEffects effects) {
        this.cluster = cluster;
        this.effects = effects;
    }

    void wire(BusProtocol protocol, BusMessages messages, ReplicaFailover failover) {
        this.protocol = protocol;
        this.messages = messages;
        this.failover = failover;
    }

    /** Reports still valid (younger than twice the node timeout); older ones are dropped. */
    int reportCount(ClusterNode node, long now) {
        long maxAge = cluster.settings().nodeTimeout() * 2;
        for (Iterator<Map.Entry<String, Long>> it = node.failReports.entrySet().iterator(); it.hasNext();) {
            if (now - it.next().getValue() > maxAge) {
                it.remove();
            }
        }
        return node.failReports.size();
    }

    void markFailingIfNeeded(ClusterNode node, long now) {
        ClusterState state = cluster.state();
        int quorum = state.size() / 2 + 1;
        if (!node.has(ClusterNode.PFAIL) || node.has(ClusterNode.FAIL)) {
            return;
        }
        int reports = reportCount(node, now) + (state.myself().isPrimary() ? 1 : 0);
        if (reports < quorum) {
            return;
        }
        LOG.info("Marking node {} as failing (quorum reached).", node.name());
        markFailed(node, now);
        protocol.broadcast(messages.fail(node));
    }

    /**
     * {@code node} is FAIL from now on (our quorum, or a FAIL message); if it is our primary, the
     * failover is scheduled now rather than at the next cron tick.
     */
    void markFailed(ClusterNode node, long now) {
        node.flags &= ~ClusterNode.PFAIL;
        node.flags |= ClusterNode.FAIL;
        node.failTime = now;
        effects.saveLater();
        effects.updateStateLater();
        ClusterNode me = cluster.state().myself();
        if (me.isReplica() && me.primary() == node) {
            effects.flush(); // the state the failover reads
            failover.tick(now);
        }
    }

    void clearIfNeeded(ClusterNode node, long now) {
        if (node.isReplica() || node.slotCount() == 0) {
            LOG.info("Clear FAIL state for node {}: {} is reachable again.", node.name(), node.isReplica() ? "replica" : "master without slots");
            node.flags &= ~ClusterNode.FAIL;
        } else if (now - node.failTime > cluster.settings().nodeTimeout() * 2) {
            LOG.info("Clear FAIL state for node {}: is reachable again and nobody is serving its slots after some time.", node.name());
            node.flags &= ~ClusterNode.FAIL;
        } else {
            return;
        }
        effects.saveLater();
        effects.updateStateLater();
    }
}
