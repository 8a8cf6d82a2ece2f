package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusBody;
import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.BusMessageType;
import io.rookery.protocol.cluster.bus.GossipEntry;
import io.rookery.protocol.cluster.bus.PingExtension;
import java.net.InetSocketAddress;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bus's messages mean to this node, following Redis 7.0's {@code clusterProcessPacket}:
 * handshakes (a MEET adds the sender, the first PONG gives a handshake node its real name), epochs,
 * roles, slot ownership by config epoch (the higher epoch wins; a stale claimant gets an UPDATE),
 * config-epoch collisions, gossip (new nodes, failure reports, fresher pong times), FAIL, PUBLISH
 * and UPDATE. Runs on the command thread.
 */
final class BusProtocol implements ClusterBus.Events {
    private static final Logger LOG = LoggerFactory.getLogger(BusProtocol.class);

    private final Cluster cluster;
    private final ClusterState state;
    private final BusMessages messages;
    private final FailureDetector failures;
    private final ClusterEffects effects;
    private final FailoverVotes votes;
    private final ReplicaFailover failover;
    private final ManualFailover manualFailover;

    BusProtocol(Cluster cluster, BusMessages messages, FailureDetector failures, ClusterEffects effects, FailoverVotes votes,
            ReplicaFailover failover, ManualFailover manualFailover) {
        this.cluster = cluster;
        this.state = cluster.state();
        this.messages = messages;
        this.failures = failures;
        this.effects = effects;
        this.votes = votes;
        this.failover = failover;
        this.manualFailover = manualFailover;
    }

    private long now() {
        return cluster.clock().getAsLong();
    }

    @Override
    public void connected(BusLink link) {
        if (link.inbound) {
            return;
        }
        ClusterNode node = link.node;
        if (state.node(node.name()) != node) { // forgotten while connecting
            link.close();
            return;
        }
        if (node.link != null && node.link != link) {
            node.link.close();
        }
        node.link = link;
        long oldPingSent = node.pingSent;
        send(link, messages.ping(node.has(ClusterNode.MEET) ? BusMessageType.MEET : BusMessageType.PING, now()));
        if (oldPingSent != 0) {
            node.pingSent = oldPingSent; // keep measuring from the first unanswered ping
        }
        node.flags &= ~ClusterNode.MEET;
    }

    @Override
    public void closed(BusLink link) {
        ClusterNode node = link.node;
        if (node == null) {
            return;
        }
        if (node.link == link) {
            node.link = null;
        }
        if (node.inboundLink == link) {
            node.inboundLink = null;
        }
    }

    /** Sends on a link, counting it for CLUSTER INFO; a PING starts the wait for its PONG. */
    void send(BusLink link, BusMessage message) {
        BusMessageType type = message.header().knownType();
        if (type == BusMessageType.PING && link.node != null && link.node.pingSent == 0) {
            link.node.pingSent = now();
        }
        link.send(message);
        cluster.stats().sent(type);
    }

    /** Sends to every node with an outbound link that is past its handshake. */
    void broadcast(BusMessage message) {
        for (ClusterNode n : state.nodes()) {
            if (n.link != null && !n.isMyself() && !n.has(ClusterNode.HANDSHAKE)) {
                send(n.link, message);
            }
        }
    }

    @Override
    public void received(BusLink link, BusMessage message) {
        BusHeader h = message.header();
        BusMessageType type = h.knownType();
        if (type == null) {
            return;
        }
        cluster.stats().received(type);
        long now = now();
        ClusterNode sender = link.node != null && !link.node.has(ClusterNode.HANDSHAKE) ? link.node : state.node(h.sender());
        if (sender != null && link.inbound && link.node == null) {
            if (sender.inboundLink != null && sender.inboundLink != link) {
                sender.inboundLink.close();
            }
            sender.inboundLink = link;
            link.node = sender;
        }
        if (sender != null) {
            sender.dataReceived = now;
            if (!sender.has(ClusterNode.HANDSHAKE)) {
                if (h.currentEpoch() > state.currentEpoch) {
                    state.currentEpoch = h.currentEpoch();
                    effects.saveLater();
                }
                if (h.configEpoch() > sender.configEpoch) {
                    sender.configEpoch = h.configEpoch();
                    effects.saveLater();
                }
                sender.replOffset = h.offset();
                manualFailover.heardFrom(sender, h);
            }
        }
        switch (type) {
            case PING, PONG, MEET -> {
                if (!gossipMessage(link, message, sender, now)) {
                    return;
                }
            }
            case FAIL -> fail((BusBody.Fail) message.body(), sender, now);
            case PUBLISH, PUBLISHSHARD -> {
                if (sender != null) {
                    BusBody.Publish p = (BusBody.Publish) message.body();
                    effects.deliver(p.channel(), p.message(), type == BusMessageType.PUBLISHSHARD);
                }
            }
            case UPDATE -> update((BusBody.Update) message.body(), sender);
            case FAILOVER_AUTH_REQUEST -> {
                if (sender != null && sender.link != null && votes.grant(sender, h, now)) {
                    send(sender.link, messages.empty(BusMessageType.FAILOVER_AUTH_ACK));
                }
            }
            case FAILOVER_AUTH_ACK -> failover.acknowledged(sender, h, now);
            case MFSTART -> manualFailover.requested(sender, link, now);
            default -> {
                // MODULE: no modules here
            }
        }
    }

    /** PING, PONG, MEET. Returns false when the link was dropped while handling it. */
    private boolean gossipMessage(BusLink link, BusMessage message, ClusterNode sender, long now) {
        BusHeader h = message.header();
        BusMessageType type = h.knownType();
        if (type == BusMessageType.PING || type == BusMessageType.MEET) {
            learnMyIp(link, type);
            if (sender == null && type == BusMessageType.MEET) {
                ClusterNode n = new ClusterNode(ClusterState.randomName(), ClusterNode.HANDSHAKE, now);
                n.ip = h.myIp().isEmpty() ? remoteIp(link) : h.myIp();
                n.port = h.port();
                n.pport = h.pport();
                n.cport = h.cport();
                state.add(n);
                effects.saveLater();
            }
            send(link, messages.ping(BusMessageType.PONG, now));
        }
        if (!link.inbound) {
            ClusterNode node = link.node;
            if (node.has(ClusterNode.HANDSHAKE)) {
                if (sender != null) { // we knew it already under its real name: drop the handshake twin
                    updateAddressIfNeeded(sender, link, h);
                    forget(node);
                    return false;
                }
                state.rename(node, h.sender());
                node.flags &= ~ClusterNode.HANDSHAKE;
                node.flags |= h.nodeFlags() & (ClusterNode.MASTER | ClusterNode.SLAVE);
                LOG.info("Handshake with node {} completed.", node.name());
                effects.saveLater();
            } else if (!node.name().equals(h.sender())) {
                LOG.info("PONG contains mismatching sender ID. About node {}", node.name());
                node.flags |= ClusterNode.NOADDR;
                node.ip = "";
                node.port = 0;
                node.pport = 0;
                node.cport = 0;
                link.close();
                node.link = null;
                effects.saveLater();
                return false;
            }
        }
        if (sender != null) {
            sender.flags = (sender.flags & ~ClusterNode.NOFAILOVER) | (h.nodeFlags() & ClusterNode.NOFAILOVER);
            if (type == BusMessageType.PING && !sender.has(ClusterNode.HANDSHAKE) && updateAddressIfNeeded(sender, link, h)) {
                effects.saveLater();
                effects.updateStateLater();
            }
        }
        if (!link.inbound && type == BusMessageType.PONG) {
            ClusterNode node = link.node;
            node.pongReceived = now;
            node.pingSent = 0;
            if (node.has(ClusterNode.PFAIL)) {
                node.flags &= ~ClusterNode.PFAIL;
                effects.saveLater();
                effects.updateStateLater();
            } else if (node.has(ClusterNode.FAIL)) {
                failures.clearIfNeeded(node, now);
            }
        }
        if (sender == null) {
            if (type == BusMessageType.MEET) {
                gossip(message, null, now);
            }
            return true;
        }
        role(sender, h);
        ClusterNode senderPrimary = sender.isPrimary() ? sender : sender.primary();
        BitSet claimed = h.slots();
        boolean dirtySlots = senderPrimary != null && !senderPrimary.slots.equals(claimed);
        if (sender.isPrimary() && dirtySlots) {
            effects.takeSlots(sender, h.configEpoch(), claimed);
        }
        if (dirtySlots && sender.link != null) {
            for (int s = claimed.nextSetBit(0); s >= 0; s = claimed.nextSetBit(s + 1)) {
                ClusterNode owner = state.owner(s);
                if (owner == null || owner == sender) {
                    continue;
                }
                if (owner.configEpoch > h.configEpoch()) {
                    LOG.info("Node {} has old slots configuration, sending an UPDATE message about {}", sender.name(), owner.name());
                    send(sender.link, messages.update(owner));
                    break;
                }
            }
        }
        ClusterNode me = state.myself();
        if (me.isPrimary() && sender.isPrimary() && h.configEpoch() == me.configEpoch) {
            configEpochCollision(sender);
        }
        gossip(message, sender, now);
        hostname(sender, (BusBody.Gossip) message.body());
        return true;
    }

    /** A MEET tells us the address others reach us at (unless cluster-announce-ip says it). */
    private void learnMyIp(BusLink link, BusMessageType type) {
        ClusterNode me = state.myself();
        if ((type == BusMessageType.MEET || me.ip.isEmpty()) && cluster.settings().announceIp().isEmpty()) {
            if (link.channel.localAddress() instanceof InetSocketAddress local) {
                String ip = local.getAddress().getHostAddress();
                if (!ip.equals(me.ip)) {
                    me.ip = ip;
                    LOG.info("IP address for this node updated to {}", ip);
                    effects.saveLater();
                }
            }
        }
    }

    private static String remoteIp(BusLink link) {
        return link.channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
    }

    /** The sender's address as this message shows it; a change drops the old link so the cron reconnects. */
    private boolean updateAddressIfNeeded(ClusterNode node, BusLink link, BusHeader h) {
        if (link == node.link) {
            return false;
        }
        String ip = h.myIp().isEmpty() ? remoteIp(link) : h.myIp();
        if (node.port == h.port() && node.cport == h.cport() && node.pport == h.pport() && node.ip.equals(ip)) {
            return false;
        }
        node.ip = ip;
        node.port = h.port();
        node.pport = h.pport();
        node.cport = h.cport();
        if (node.link != null) {
            node.link.close();
            node.link = null;
        }
        node.flags &= ~ClusterNode.NOADDR;
        LOG.info("Address updated for node {}, now {}:{}", node.name(), ip, node.port);
        if (state.myself().isReplica() && state.myself().primary() == node) {
            effects.replicate(node);
        }
        return true;
    }

    /** A primary that now says it replicates, or the other way round. */
    private void role(ClusterNode sender, BusHeader h) {
        if (h.replicaOf() == null) {
            effects.setAsPrimary(sender);
            return;
        }
        ClusterNode primary = state.node(h.replicaOf());
        if (sender.isPrimary()) {
            for (int s = sender.slots.nextSetBit(0); s >= 0; s = sender.slots.nextSetBit(s + 1)) {
                state.unassign(s);
            }
            sender.flags &= ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO);
            sender.flags |= ClusterNode.SLAVE;
            effects.saveLater();
            effects.updateStateLater();
        }
        if (primary != null && sender.primary() != primary) {
            sender.setPrimary(primary);
            effects.saveLater();
        }
    }

    /** Two primaries with one config epoch: the one with the smaller name takes a new epoch. */
    private void configEpochCollision(ClusterNode sender) {
        ClusterNode me = state.myself();
        if (sender.name().compareTo(me.name()) <= 0) {
            return;
        }
        state.currentEpoch++;
        me.configEpoch = state.currentEpoch;
        effects.saveLater();
        LOG.info("WARNING: configEpoch collision with node {}. configEpoch set to {}", sender.name(), me.configEpoch);
    }

    private void gossip(BusMessage message, ClusterNode sender, long now) {
        for (GossipEntry g : ((BusBody.Gossip) message.body()).entries()) {
            ClusterNode node = state.node(g.nodeName());
            boolean suspected = (g.flags() & (ClusterNode.FAIL | ClusterNode.PFAIL)) != 0;
            if (node != null) {
                if (sender != null && sender.isPrimary() && node != state.myself()) {
                    if (suspected) {
                        node.failReports.put(sender.name(), now);
                        failures.markFailingIfNeeded(node, now);
                    } else {
                        node.failReports.remove(sender.name());
                    }
                }
                if (!suspected && node.pingSent == 0 && failures.reportCount(node, now) == 0) {
                    long pongTime = g.pongReceived() * 1000;
                    if (pongTime <= now + 500 && pongTime > node.pongReceived) {
                        node.pongReceived = pongTime;
                    }
                }
                if (node.has(ClusterNode.FAIL | ClusterNode.PFAIL) && (g.flags() & ClusterNode.NOADDR) == 0 && !suspected
                        && (!node.ip.equalsIgnoreCase(g.ip()) || node.port != g.port() || node.cport != g.cport())) {
                    if (node.link != null) {
                        node.link.close();
                        node.link = null;
                    }
                    node.ip = g.ip();
                    node.port = g.port();
                    node.pport = g.pport();
                    node.cport = g.cport();
                    node.flags &= ~ClusterNode.NOADDR;
                }
            } else if (sender != null && (g.flags() & ClusterNode.NOADDR) == 0 && !effects.forgotten(g.nodeName(), now)) {
                ClusterNode n = new ClusterNode(g.nodeName(), g.flags() & ~(ClusterNode.MYSELF | ClusterNode.PFAIL
                        | ClusterNode.FAIL | ClusterNode.HANDSHAKE | ClusterNode.MEET), now);
                n.ip = g.ip();
                n.port = g.port();
                n.pport = g.pport();
                n.cport = g.cport();
                state.add(n);
                effects.saveLater();
            }
        }
    }

    private void hostname(ClusterNode sender, BusBody.Gossip body) {
        String hostname = "";
        for (PingExtension x : body.extensions()) {
            if (x.type() == PingExtension.HOSTNAME) {
                hostname = x.hostnameText();
            }
        }
        if (!hostname.equals(sender.hostname)) {
            sender.hostname = hostname;
            effects.saveLater();
        }
    }

    private void fail(BusBody.Fail body, ClusterNode sender, long now) {
        if (sender == null) {
            LOG.info("Ignoring FAIL message about {}", body.nodeName());
            return;
        }
        ClusterNode failing = state.node(body.nodeName());
        if (failing != null && !failing.has(ClusterNode.FAIL | ClusterNode.MYSELF)) {
            LOG.info("FAIL message received from {} about {}", sender.name(), failing.name());
            failures.markFailed(failing, now);
        }
    }

    private void update(BusBody.Update body, ClusterNode sender) {
        if (sender == null) {
            return;
        }
        ClusterNode n = state.node(body.nodeName());
        if (n == null || n.configEpoch >= body.configEpoch()) {
            return;
        }
        effects.setAsPrimary(n);
        n.configEpoch = body.configEpoch();
        effects.takeSlots(n, body.configEpoch(), body.slots());
        effects.saveLater();
    }

    /** Removes a node and its links. */
    void forget(ClusterNode node) {
        if (node.link != null) {
            node.link.close();
            node.link = null;
        }
        if (node.inboundLink != null) {
            node.inboundLink.close();
            node.inboundLink = null;
        }
        state.remove(node);
        effects.saveLater();
        effects.updateStateLater();
    }
}
