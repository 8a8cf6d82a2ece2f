package io.rookery.node.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The RESP listener. One event loop thread accepts, reads, runs every command and writes: it is the
 * node's command thread, so the keyspace needs no locks. Uses epoll on Linux, NIO elsewhere.
 *
 * <p>Bind addresses follow Redis: "*" is every IPv4 address, "::*" every IPv6 one, and a leading "-"
 * makes an address optional (a failure to bind it is ignored).
 */
public final class RespServer {
    private final EventLoopGroup loop;
    private final Class<? extends ServerChannel> channelType;
    private final List<Channel> listeners = new ArrayList<>();

    public RespServer() {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        OutOfMemoryExit.install();
        this.loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    OutOfMemoryExit.ifOutOfMemory(e); // the command thread must not die and leave the process up
                    throw e;
                }
            }, "rookery-main");
            t.setDaemon(false);
            return t;
        }, io);
        this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The channel type for outgoing connections made on {@link #loop()} (replication links, sentinel links). */
    public static Class<? extends io.netty.channel.socket.SocketChannel> clientChannelType() {
        return Epoll.isAvailable() ? io.netty.channel.epoll.EpollSocketChannel.class
                : io.netty.channel.socket.nio.NioSocketChannel.class;
    }

    /** The command thread's executor; everything touching the keyspace runs here. */
    public EventLoopGroup loop() {
        return loop;
    }

    /** Binds every address at {@code port} (0 picks a free port); returns the bound port. */
    public int bind(List<String> addresses, int port, int backlog, ServerContext context) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ConnectionHandler(context));
                    }
                });
        int bound = port;
        RuntimeException firstFailure = null;
        for (String raw : addresses) {
            boolean optional = raw.startsWith("-");
            String addr = optional ? raw.substring(1) : raw;
            String host = switch (addr) {
                case "*" -> "0.0.0.0";
                case "::*" -> "::";
                default -> addr;
            };
            try {
                Channel ch = b.bind(new InetSocketAddress(host, bound)).sync().channel();
                listeners.add(ch);
                bound = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (!optional && firstFailure == null) {
                    firstFailure = new IllegalStateException("Could not create server TCP listening socket "
                            + addr + ":" + bound + ": " + e.getMessage(), e);
                }
            }
        }
        if (firstFailure != null) {
            closeListeners();
            throw firstFailure;
        }
        if (listeners.isEmpty()) {
            throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting.");
        }
        return bound;
    }

    public void closeListeners() {
        for (Channel ch : listeners) {
            ch.close().syncUninterruptibly();
        }
        listeners.clear();
    }

    public void shutdown() {
        closeListeners();
        loop.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
