package io.rookery.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.rookery.protocol.command.CommandTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway: a RESP server on {@code port} whose clients see one Redis server, in front of a cluster
 * ({@link ClusterTopology}) or a sentinel-managed primary ({@link SentinelTopology}). Each event loop
 * serves its clients with its own backend links ({@link LoopBackends}); the topology runs on a loop of
 * its own.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayConfig config;
    private final GatewayStats stats = new GatewayStats();
    private final ClientRegistry clients = new ClientRegistry();
    private final AtomicInteger pinned = new AtomicInteger();
    private final Map<EventLoop, LoopBackends> loops = new LinkedHashMap<>();
    private MultiThreadIoEventLoopGroup workers;
    private MultiThreadIoEventLoopGroup control;
    private Topology topology;
    private GatewayContext context;
    private Channel server;
    private int port;

    public Gateway(GatewayConfig config) {
        this.config = config;
    }

    /** Learns the backend (waiting up to a few seconds for a first slot map), then listens. Returns the port. */
    public int start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int threads = config.ioThreads() > 0 ? config.ioThreads() : GatewayConfig.defaultIoThreads();
        workers = new MultiThreadIoEventLoopGroup(threads, (java.util.concurrent.ThreadFactory) r -> daemon(r, "gateway-io"), io);
        control = new MultiThreadIoEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> daemon(r, "gateway-topology"), io);
        EventLoop controlLoop = control.next();
        topology = config.clustered() ? new ClusterTopology(config, controlLoop, clientType)
                : new SentinelTopology(config, controlLoop, clientType);
        context = new GatewayContext(config, topology, stats, CommandTable.standard(), pinned, clients);
        Bootstrap backendBootstrap = new Bootstrap().channel(clientType);
        List<CompletableFuture<Void>> created = new ArrayList<>();
        for (EventExecutor e : workers) {
            EventLoop loop = (EventLoop) e;
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                synchronized (loops) {
                    loops.put(loop, new LoopBackends(loop, context, backendBootstrap));
                }
                done.complete(null);
            });
            created.add(done);
        }
        CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
        topology.start(Math.max(3000, config.connectTimeoutMillis() + config.requestTimeoutMillis()));
        ServerBootstrap b = new ServerBootstrap()
                .group(workers)
                .channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LoopBackends backends;
                        synchronized (loops) {
                            backends = loops.get(ch.eventLoop());
                        }
                        ch.pipeline().addLast(new ClientSession(context, backends));
                    }
                });
        String host = config.bind() == null || config.bind().isBlank() || config.bind().equals("*") ? "0.0.0.0"
                : config.bind();
        try {
            server = b.bind(host, config.port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("gateway could not listen on " + host + ":" + config.port() + ": " + e.getMessage(), e);
        }
        port = ((InetSocketAddress) server.localAddress()).getPort();
        return port;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public int port() {
        return port;
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayStats stats() {
        return stats;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public Topology topology() {
        return topology;
    }

    public int pinnedConnections() {
        return pinned.get();
    }

    /** Per backend address, the state of its shared links as the event loops see them ("connected", "closed"). */
    public Map<String, String> backendStates() {
        Map<String, String> out = new LinkedHashMap<>();
        List<LoopBackends> all;
        synchronized (loops) {
            all = new ArrayList<>(loops.values());
        }
        for (LoopBackends l : all) {
            CompletableFuture<Map<String, String>> f = new CompletableFuture<>();
            l.loop().execute(() -> f.complete(l.linkStates()));
            try {
                f.get(1, TimeUnit.SECONDS).forEach((a, s) -> out.merge(a, s, (x, y) -> x.equals("connected") ? x : y));
            } catch (Exception e) {
                // a busy loop: its links are left out of this view
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<LoopBackends> all;
        synchronized (loops) {
            all = new ArrayList<>(loops.values());
        }
        for (LoopBackends l : all) {
            l.loop().execute(l::close);
        }
        if (topology != null) {
            topology.close();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (control != null) {
            control.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
