package io.rookery.node.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.rookery.node.server.BindAddress;
import io.rookery.node.server.ListenSocket;
import io.rookery.node.server.RespServer;
import io.rookery.protocol.cluster.bus.BusMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus's connections: a listener on the bus port, and one outbound link per known node.
 * Every link lives on the command thread's event loop, so messages are handled where the cluster
 * state lives, as Redis handles them in its one thread. What a message means is the
 * {@link BusProtocol}'s business; this class only moves frames.
 */
final class ClusterBus {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);

    /** What the bus reports to the protocol, on the command thread. */
    interface Events {
        void connected(BusLink link);

        void received(BusLink link, BusMessage message);

        void closed(BusLink link);
    }

    private final EventLoop loop;
    private final LongSupplier clock;
    private final ClusterStats stats;
    private Events events;
    private final List<Channel> listeners = new ArrayList<>();

    ClusterBus(EventLoop loop, LongSupplier clock, ClusterStats stats) {
        this.stats = stats;
        this.loop = loop;
        this.clock = clock;
    }

    void events(Events events) {
        this.events = events;
    }

    /**
     * Listens on {@code port} at every bind address, as Redis's {@code clusterInit} with
     * {@code listenToPort}: an optional address the machine does not have, or an address family it
     * lacks, is skipped with a warning ({@link BindAddress}); any other failure closes what was bound
     * and fails the start with Redis's "Failed listening on port P (cluster), aborting.".
     */
    void listen(List<String> addresses, int port) {
        ServerBootstrap b = new ServerBootstrap().group(loop)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        BusLink link = new BusLink(ch, true, null, clock.getAsLong());
                        pipeline(ch, link);
                    }
                });
        for (BindAddress address : BindAddress.parseAll(addresses)) {
            ChannelFuture f = ListenSocket.bind(b, address, port).awaitUninterruptibly();
            if (f.isSuccess()) {
                listeners.add(f.channel());
                continue;
            }
            LOG.warn("Warning: {}", address.failureText(port, f.cause()));
            if (!address.skippable(f.cause())) {
                close();
                throw new IllegalStateException(address.failureText(port, f.cause()) + "; Failed listening on port "
                        + port + " (cluster), aborting.", f.cause());
            }
        }
    }

    /** Opens the outbound link to {@code node}; {@link Events#connected} follows when it is up. */
    void connect(ClusterNode node) {
        node.connecting = true;
        new Bootstrap().group(loop).channel(RespServer.clientChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch, new BusLink(ch, false, node, clock.getAsLong()));
                    }
                })
                .connect(node.ip, node.cport)
                .addListener((ChannelFuture f) -> {
                    node.connecting = false;
                    if (!f.isSuccess()) {
                        stats.linkError();
                        LOG.debug("cluster bus: cannot connect to {} at {}:{}: {}", node.name(), node.ip, node.cport,
                                f.cause().getMessage());
                    }
                });
    }

    private void pipeline(Channel ch, BusLink link) {
        ch.pipeline().addLast(new BusFrameDecoder(), new SimpleChannelInboundHandler<BusMessage>() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                events.connected(link);
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, BusMessage message) {
                events.received(link, message);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                events.closed(link);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                stats.linkError();
                LOG.debug("cluster bus link to {} closed: {}", ctx.channel().remoteAddress(), cause.getMessage());
                ctx.close();
            }
        });
    }

    void close() {
        listeners.forEach(Channel::close);
        listeners.clear();
    }
}
