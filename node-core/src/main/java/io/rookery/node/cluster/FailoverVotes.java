package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusHeader;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's vote on a replica's failover request, as Redis's {@code clusterSendFailoverAuthIfNeeded}:
 * only primaries with slots vote, once per epoch, only for a replica whose primary is FAIL (or asked
 * with FORCEACK), at most once per twice the node timeout for replicas of one primary, and never for
 * slots this node knows to be owned at a higher config epoch than the request's.
 */
final class FailoverVotes {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverVotes.class);

    private final Cluster cluster;
    private final ClusterEffects effects;

    FailoverVotes(Cluster cluster, ClusterEffects effects) {
        this.cluster = cluster;
        this.effects = effects;
    }

    /** Whether to grant {@code candidate}'s request; when true the vote is recorded. */
    boolean grant(ClusterNode candidate, BusHeader request, long now) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        ClusterNode primary = candidate.primary();
        boolean forceAck = (request.messageFlags() & BusHeader.FLAG_FORCEACK) != 0;
        if (me.isReplica() || me.slotCount() == 0) {
            return false;
        }
        if (request.currentEpoch() < state.currentEpoch()) {
            LOG.info("Failover auth denied to {}: reqEpoch ({}) < curEpoch({})", candidate.name(), request.currentEpoch(),
                    state.currentEpoch());
            return false;
        }
        if (state.lastVoteEpoch == state.currentEpoch()) {
            return false;
        }
        if (!candidate.isReplica() || primary == null || (!primary.has(ClusterNode.FAIL) && !forceAck)) {
            return false;
        }
        if (now - primary.votedAt < cluster.settings().nodeTimeout() * 2) {
            return false;
        }
        BitSet claimed = request.slots();
        for (int s = claimed.nextSetBit(0); s >= 0; s = claimed.nextSetBit(s + 1)) {
            ClusterNode owner = state.owner(s);
            if (owner != null && owner.configEpoch > request.configEpoch()) {
                return false;
            }
        }
        state.lastVoteEpoch = state.currentEpoch();
        primary.votedAt = now;
        effects.saveLater();
        LOG.info("Failover auth granted to {} for epoch {}", candidate.name(), state.currentEpoch());
        return true;
    }
}
