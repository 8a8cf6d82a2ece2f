package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusBody;
import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.BusMessageType;
import io.rookery.protocol.cluster.bus.GossipEntry;
import io.rookery.protocol.cluster.bus.PingExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds the messages this node sends, as Redis's {@code clusterBuildMessageHdr} and
 * {@code clusterSendPing}: the header says who we are (a replica sends its primary's slots and
 * epoch), and PING/PONG/MEET carry gossip about a tenth of the other nodes (at least three) plus every
 * node we suspect (PFAIL), so failure reports spread.
 */
final class BusMessages {
    private final Cluster cluster;

    BusMessages(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The header of every message; a primary paused for a manual failover flags it PAUSED. */
    BusHeader header(BusMessageType type) {
        ClusterState s = cluster.state();
        ClusterNode me = s.myself();
        boolean paused = me.isPrimary() && cluster.manualFailover().inProgress();
        ClusterNode primary = me.isReplica() && me.primary() != null ? me.primary() : me;
        ClusterSettings settings = cluster.settings();
        return new BusHeader(type.code(), settings.announcedPort(), s.currentEpoch(), primary.configEpoch(),
                cluster.myReplicationOffset(), me.name(), primary.slots, me.primary() != null ? me.primary().name() : null,
                settings.announceIp(), 0, settings.announcedBusPort(), me.flags(), s.ok() ? 0 : 1,
                paused ? BusHeader.FLAG_PAUSED : 0);
    }

    /** A PING, PONG or MEET with gossip sections and our hostname extension. */
    BusMessage ping(BusMessageType type, long now) {
        ClusterState s = cluster.state();
        List<ClusterNode> candidates = new ArrayList<>();
        List<ClusterNode> suspected = new ArrayList<>();
        for (ClusterNode n : s.nodes()) {
            if (n.isMyself()) {
                continue;
            }
            if (n.has(ClusterNode.PFAIL)) {
                suspected.add(n);
                continue;
            }
            if (n.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR) || (n.link == null && n.slotCount() == 0)) {
                continue;
            }
            candidates.add(n);
        }
        int wanted = Math.max(3, s.nodes().size() / 10);
        Collections.shuffle(candidates);
        List<GossipEntry> gossip = new ArrayList<>();
        for (ClusterNode n : candidates.subList(0, Math.min(wanted, candidates.size()))) {
            gossip.add(entry(n));
        }
        for (ClusterNode n : suspected) {
            gossip.add(entry(n));
        }
        String hostname = cluster.settings().announceHostname();
        List<PingExtension> extensions = hostname.isEmpty() ? List.of() : List.of(PingExtension.hostname(hostname));
        return new BusMessage(header(type), new BusBody.Gossip(gossip, extensions));
    }

    private static GossipEntry entry(ClusterNode n) {
        return new GossipEntry(n.name(), n.pingSent / 1000, n.pongReceived / 1000, n.ip, n.port, n.cport, n.flags, n.pport);
    }

    BusMessage fail(ClusterNode failed) {
        return new BusMessage(header(BusMessageType.FAIL), new BusBody.Fail(failed.name()));
    }

    BusMessage update(ClusterNode owner) {
        return new BusMessage(header(BusMessageType.UPDATE),
                new BusBody.Update(owner.configEpoch, owner.name(), owner.slots));
    }

    BusMessage publish(byte[] channel, byte[] message, boolean sharded) {
        return new BusMessage(header(sharded ? BusMessageType.PUBLISHSHARD : BusMessageType.PUBLISH),
                new BusBody.Publish(channel, message));
    }

    BusMessage empty(BusMessageType type) {
        return new BusMessage(header(type), new BusBody.Empty());
    }
}
