package io.rookery.node.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.rookery.protocol.cluster.bus.BusCodec;
import io.rookery.protocol.cluster.bus.BusMessage;

/**
 * One TCP connection of the bus, as Redis's {@code clusterLink}: an outbound link is the one this
 * node opened to {@code node} (PINGs go out on it, PONGs come back); an inbound link was accepted
 * from a peer, whose node is learnt from the first message that names a known sender.
 */
final class BusLink {
    final Channel channel;
    final boolean inbound;
    final long createdAt;
    ClusterNode node;

    BusLink(Channel channel, boolean inbound, ClusterNode node, long now) {
        this.channel = channel;
        this.inbound = inbound;
        this.node = node;
        this.createdAt = now;
    }

    void send(BusMessage message) {
        ByteBuf out = channel.alloc().buffer(BusCodec.encodedLength(message));
        BusCodec.encode(message, out);
        channel.writeAndFlush(out, channel.voidPromise());
    }

    boolean open() {
        return channel.isActive();
    }

    void close() {
        channel.close();
    }
}
