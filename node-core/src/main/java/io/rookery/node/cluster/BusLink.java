package io.rookery.node.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.rookery.protocol.cluster.bus.BusCodec;
import io.rookery.protocol.cluster.bus.BusMessage;

/**
 * One TCP connection of the bus, as Redis's {@code clusterLink}: an outbound link is the one this
 * node opened to {@code node} (PINGs go out on it, PONGs come back); an inbound link was accepted
 * from a peer, whose node is learnt from the first message that names a known sender.
 *
 * <p>Its send buffer is Netty's outbound buffer: what the kernel did not take yet waits there, as
 * in Redis's {@code link->sndbuf}. The buffer figures are read on the link's event loop (the command
 * thread), the one thread that changes them.
 */
final class BusLink {
    /** An estimate of a link's fixed objects (channel, pipeline, handlers), in bytes. */
    static final long LINK_OVERHEAD = 1024;

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

    /**
     * What the pending output holds, as CLUSTER LINKS' {@code send-buffer-allocated} and the figure
     * {@code cluster-link-sendbuf-limit} is checked against: the pending bytes plus Netty's
     * bookkeeping per queued message (the part of a message already written stays until it is whole).
     */
    long sendBufferAllocated() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** The bytes still to be written, as CLUSTER LINKS' {@code send-buffer-used}. */
    long sendBufferUsed() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null) {
            return 0;
        }
        long[] used = {0};
        try {
            out.forEachFlushedMessage(msg -> {
                if (msg instanceof ByteBuf b) {
                    used[0] += b.readableBytes();
                }
                return true;
            });
        } catch (Exception e) {
            throw new IllegalStateException(e); // the processor above throws nothing
        }
        return used[0];
    }

    /**
     * The link's memory, as Redis's {@code getClusterLinkMemUsage} (the link, its send buffer, its
     * receive buffer) for INFO's {@code mem_cluster_links}: a fixed estimate of the channel's own
     * objects, the allocated send buffer and the capacity of the partial frame being received.
     */
    long memoryUsage() {
        BusFrameDecoder decoder = channel.pipeline().get(BusFrameDecoder.class);
        return LINK_OVERHEAD + sendBufferAllocated() + (decoder == null ? 0 : decoder.bufferedCapacity());
    }

    /** CLUSTER LINKS' {@code events}: "r" always read, "w" while output waits for the socket. */
    String events() {
        if (!channel.isOpen()) {
            return "";
        }
        return sendBufferUsed() > 0 || sendBufferAllocated() > 0 ? "rw" : "r";
    }

    boolean open() {
        return channel.isActive();
    }

    void close() {
        channel.close();
    }
}
