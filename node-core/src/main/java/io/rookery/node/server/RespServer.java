package io.rookery.node.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RESP listener. One event loop thread accepts, reads, runs every command and writes: it is the
 * node's command thread, so the keyspace needs no locks. Uses epoll on Linux, NIO elsewhere.
 *
 * <p>Bind addresses follow Redis ({@link BindAddress}): "*" is every IPv4 address, "::*" every IPv6
 * one, and a leading "-" makes an address optional (skipped when the machine does not have it).
 *
 * <p>The listening sockets live on a separate acceptor thread, so the command thread can move them
 * (CONFIG SET port/bind, {@link #rebind}) and wait for the result; accepted connections are handed
 * to the command thread.
 */
public final class RespServer {
    private static final Logger LOG = LoggerFactory.getLogger(RespServer.class);
    private final EventLoopGroup loop;
    private final EventLoopGroup acceptor;
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
        this.acceptor = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "rookery-accept");
            t.setDaemon(true);
            return t;
        }, io);
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
    public synchronized int bind(List<String> addresses, int port, int backlog, ServerContext context) throws InterruptedException {
        List<Channel> bound = new ArrayList<>();
        int p = bindAll(bootstrap(backlog, context), addresses, port, List.of(), bound);
        listeners.addAll(bound);
        return p;
    }

    /**
     * Moves the listeners to {@code addresses} at {@code port}, as CONFIG SET port/bind do. The new
     * listeners are bound while the old ones still accept (an address:port already listening is kept
     * as it is), and only then are the old ones closed; connections already made stay. When the new
     * set cannot be bound because an old listener holds the address (a bind change on the same
     * port), the old ones are closed first and, if binding still fails, bound again, as Redis does.
     * On failure the old listeners are left accepting and IllegalStateException says why.
     * Returns the bound port.
     */
    public synchronized int rebind(List<String> addresses, int port, int backlog, ServerContext context)
            throws InterruptedException {
        ServerBootstrap b = bootstrap(backlog, context);
        List<Channel> fresh = new ArrayList<>();
        try {
            int p = bindAll(b, addresses, port, listeners, fresh);
            closeExcept(listeners, fresh);
            listeners.clear();
            listeners.addAll(fresh);
            return p;
        } catch (IllegalStateException firstTry) {
            closeExcept(fresh, listeners);
            boolean samePort = listeners.stream().anyMatch(ch -> port(ch) == port);
            if (!samePort) {
                throw firstTry;
            }
            List<String> oldAddresses = listeners.stream().map(RespServer::host).toList();
            int oldPort = port(listeners.get(0));
            closeExcept(listeners, List.of());
            listeners.clear();
            fresh.clear();
            try {
                int p = bindAll(b, addresses, port, List.of(), fresh);
                listeners.addAll(fresh);
                return p;
            } catch (IllegalStateException secondTry) {
                closeExcept(fresh, List.of());
                List<Channel> restored = new ArrayList<>();
                bindAll(b, oldAddresses, oldPort, List.of(), restored);
                listeners.addAll(restored);
                throw secondTry;
            }
        }
    }

    private ServerBootstrap bootstrap(int backlog, ServerContext context) {
        return new ServerBootstrap()
                .group(acceptor, loop)
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
    }

    /**
     * Binds each address at {@code port} into {@code out}, reusing a channel of {@code existing}
     * already listening there; on failure closes what it bound and throws with Redis's log text.
     */
    private int bindAll(ServerBootstrap b, List<String> addresses, int port, List<Channel> existing, List<Channel> out)
            throws InterruptedException {
        int bound = port;
        RuntimeException firstFailure = null;
        for (BindAddress address : BindAddress.parseAll(addresses)) {
            InetSocketAddress target = address.socketAddress(bound);
            Channel same = bound == 0 ? null : existing.stream()
                    .filter(ch -> ch.localAddress() instanceof InetSocketAddress a && a.equals(target))
                    .findFirst().orElse(null);
            try {
                Channel ch = same != null ? same : ListenSocket.bind(b, address, bound).sync().channel();
                out.add(ch);
                bound = port(ch);
            } catch (Exception e) {
                LOG.warn("Warning: {}", address.failureText(bound, e));
                if (!address.skippable(e) && firstFailure == null) {
                    firstFailure = new IllegalStateException(address.failureText(bound, e), e);
                }
            }
        }
        if (firstFailure != null) {
            closeExcept(out, existing);
            out.clear();
            throw firstFailure;
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("Configured to not listen anywhere, exiting.");
        }
        return bound;
    }

    private static int port(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    private static String host(Channel ch) {
        return ((InetSocketAddress) ch.localAddress()).getAddress().getHostAddress();
    }

    private static void closeExcept(List<Channel> channels, List<Channel> keep) {
        for (Channel ch : channels) {
            if (!keep.contains(ch)) {
                ch.close().syncUninterruptibly();
            }
        }
    }

    public synchronized void closeListeners() {
        for (Channel ch : listeners) {
            ch.close().syncUninterruptibly();
        }
        listeners.clear();
    }

    public void shutdown() {
        closeListeners();
        acceptor.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        loop.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
