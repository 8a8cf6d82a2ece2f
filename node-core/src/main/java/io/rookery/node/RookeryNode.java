package io.rookery.node;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.command.CommandSet;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.config.OutputBufferLimit;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.info.InfoReport;
import io.rookery.node.keyspace.ActiveExpireCycle;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.server.RespServer;
import io.rookery.node.server.ServerContext;
import io.rookery.protocol.ProtocolLimits;
import io.rookery.protocol.command.CommandTable;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Rookery data node: the engine that the Spring shell (or a test) builds from a {@link NodeConfig},
 * starts and stops. Everything that touches data runs on the one command thread (the server's event
 * loop); other threads reach it through {@link #call}.
 */
public final class RookeryNode implements ServerContext {
    public static final String REDIS_VERSION = "7.0.15";
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(RookeryNode.class);

    private final NodeConfig config;
    private final Keyspace keyspace;
    private final CommandRegistry registry;
    private final Dispatcher dispatcher;
    private final ClientRegistry clients = new ClientRegistry();
    private final ActiveExpireCycle expireCycle;
    private final RespServer server = new RespServer();
    private final InfoReport info;
    private final String runId;
    private final long startMillis = System.currentTimeMillis();
    private final List<Runnable> shutdownListeners = new ArrayList<>();
    private volatile ProtocolLimits limits;
    private volatile int port;
    private volatile boolean running;
    private ScheduledFuture<?> cron;
    private final NodeStats stats = new NodeStats();
    private final io.rookery.node.types.TypeContext types;
    private final io.rookery.node.pubsub.PubSub pubsub = new io.rookery.node.pubsub.PubSub();
    private final io.rookery.node.pubsub.KeyspaceNotifications notifications;
    private final io.rookery.node.blocking.Blocking blocking;
    private final io.rookery.node.multi.Transactions transactions;
    private final io.rookery.node.eviction.Evictor evictor;
    private final io.rookery.node.persistence.Persistence persistence;
    private final io.rookery.node.replication.Replication replication;
    private final io.rookery.node.debug.DebugSwitches debugSwitches = new io.rookery.node.debug.DebugSwitches();

    public RookeryNode(NodeConfig config) {
        this.config = config;
        this.keyspace = new Keyspace(config);
        this.types = new io.rookery.node.types.TypeContext(keyspace.memoryCounter(), config);
        this.notifications = new io.rookery.node.pubsub.KeyspaceNotifications(pubsub, config);
        if (config.sentinelMode) {
            config.save = ""; // a sentinel keeps no dataset: nothing to load, nothing to save
            config.appendonly = false;
        }
        this.registry = config.sentinelMode
                ? new CommandRegistry(CommandTable.sentinel(), true)
                : new CommandRegistry(CommandTable.standard());
        this.dispatcher = new Dispatcher(registry, keyspace, config);
        this.expireCycle = new ActiveExpireCycle(keyspace, config);
        this.blocking = new io.rookery.node.blocking.Blocking(server.loop().next());
        dispatcher.afterCommand(blocking::serveReady);
        this.transactions = new io.rookery.node.multi.Transactions(keyspace);
        transactions.dispatcher(dispatcher);
        dispatcher.multiQueue(transactions);
        dispatcher.addWriteObserver((client, spec, args, db) -> {
            if (transactions.hasWatchers()) {
                for (int p : spec.keyPositions(args)) {
                    transactions.touch(db, args[p]);
                }
            }
        });
        dispatcher.addGuard(new io.rookery.node.pubsub.SubscribedContextGuard());
        this.evictor = new io.rookery.node.eviction.Evictor(keyspace, config, this::usedMemory, (db, key) -> {
            notifications.keyEvent(io.rookery.node.config.KeyspaceEventFlags.EVICTED, "evicted", key, db.id());
            dispatcher.propagation().add(db.id(), "DEL".getBytes(), key);
            transactions.touch(db.id(), key);
        });
        dispatcher.addGuard(new io.rookery.node.eviction.OomGuard(evictor, config));
        this.persistence = new io.rookery.node.persistence.Persistence(config, keyspace, types, dispatcher::dirty,
                saved -> dispatcher.dirty(-saved), this::usedMemory);
        persistence.loop(server.loop().next());
        persistence.dispatcher(dispatcher);
        config.onChange("appendonly", c -> call(() -> {
            persistence.enableAof(c.appendonly);
            return null;
        }));
        dispatcher.addGuard(new io.rookery.node.persistence.MisconfGuard(persistence));
        this.replication = new io.rookery.node.replication.Replication(this);
        dispatcher.propagation().addPropagator(replication);
        dispatcher.addGuard((client, spec, args) -> replication.staleDataError(spec));
        dispatcher.addGuard((client, spec, args) -> {
            if (!spec.isWrite()) {
                return null;
            }
            if (replication.isReplica() && config.replicaReadOnly) {
                return "READONLY You can't write against a read only replica.";
            }
            return replication.noReplicasError();
        });
        keyspace.observer(new io.rookery.node.keyspace.KeyspaceObserver() {
            @Override
            public void keyExpired(io.rookery.node.keyspace.Database db, byte[] key) {
                if (transactions != null) {
                    transactions.touch(db.id(), key);
                }
                dispatcher.propagation().add(db.id(), "DEL".getBytes(), key);
                notifications.keyEvent(io.rookery.node.config.KeyspaceEventFlags.EXPIRED, "expired", key, db.id());
            }

            @Override
            public void keyAdded(io.rookery.node.keyspace.Database db, byte[] key, Object value) {
                blocking.signal(db.id(), key);
            }
        });
        this.limits = ProtocolLimits.defaults().withMaxBulkLength(config.protoMaxBulkLen);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.info = new InfoReport(this);
        config.onChange("proto-max-bulk-len", c -> limits = ProtocolLimits.defaults().withMaxBulkLength(c.protoMaxBulkLen));
        config.onChange("slowlog-max-len", c -> call(() -> {
            dispatcher.slowLog().trim(c.slowlogMaxLen);
            return null;
        }));
        CommandSet.registerAll(this);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the listeners and starts the cron; returns the bound port. */
    public synchronized int start() throws InterruptedException {
        if (running) {
            return port;
        }
        try {
            if (!config.sentinelMode) {
                persistence.loadAtStartup();
            }
            port = server.bind(config.bind, config.port, config.tcpBacklog, this);
        } catch (RuntimeException e) {
            server.shutdown(); // a node that cannot start leaves no thread behind to keep the process alive
            throw e;
        }
        if (config.port == 0) {
            config.port = port;
        }
        io.rookery.node.server.ListenerRebinding.register(config, server, this, loop(), port, p -> port = p);
        if (!config.replicaof.isBlank() && !config.sentinelMode) {
            // after binding: the handshake announces the port we listen on
            String[] hp = config.replicaof.trim().split("\\s+");
            loop().execute(() -> replication.replicaOf(hp[0], Integer.parseInt(hp[1])));
        }
        running = true;
        scheduleCron();
        config.onChange("hz", c -> loop().execute(this::scheduleCron));
        LOG.info("Rookery {} (Redis {} compatible) ready to accept connections on port {}", VERSION, REDIS_VERSION, port);
        return port;
    }

    private void scheduleCron() {
        if (cron != null) {
            cron.cancel(false);
        }
        long period = Math.max(1, 1000 / config.hz);
        cron = loop().scheduleAtFixedRate(this::cron, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops accepting, closes every client and stops the command thread. */
    public synchronized void stop() {
        stop(!config.save.isBlank());
    }

    /**
     * Stops the node; with {@code save} the dataset is written first, as Redis does on SIGTERM when
     * save points are configured.
     */
    public synchronized void stop(boolean save) {
        if (!running) {
            return;
        }
        if (save) {
            try {
                call(() -> {
                    persistence.cancel();
                    try {
                        persistence.save();
                    } catch (java.io.IOException e) {
                        LOG.error("Error trying to save the DB on shutdown: {}", e.getMessage());
                    }
                    return null;
                }).get(10, TimeUnit.MINUTES);
            } catch (Exception e) {
                LOG.error("saving at shutdown failed", e);
            }
        }
        running = false;
        try {
            call(() -> {
                persistence.closeAof();
                replication.stop();
                for (Client c : new ArrayList<>(clients.all())) {
                    c.connection().closeAfterFlush();
                }
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing clients at stop", e);
        }
        server.shutdown();
        LOG.info("Rookery node on port {} stopped", port);
    }

    /** SHUTDOWN: stop the node and tell whoever started it (the service exits the process). */
    public void shutdownRequested() {
        new Thread(() -> {
            stop(false); // SHUTDOWN saved already, if it had to
            shutdownListeners.forEach(Runnable::run);
        }, "rookery-shutdown").start();
    }

    public void onShutdown(Runnable listener) {
        shutdownListeners.add(listener);
    }

    public boolean running() {
        return running;
    }

    public int port() {
        return port;
    }

    /** Runs {@code task} on the command thread and completes with its result. */
    public <T> CompletableFuture<T> call(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        EventLoop l = loop();
        if (l.inEventLoop()) {
            f.complete(task.get());
            return f;
        }
        l.execute(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable t) {
                io.rookery.node.server.OutOfMemoryExit.ifOutOfMemory(t);
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    public EventLoop loop() {
        return server.loop().next();
    }

    // ---------------------------------------------------------------- cron (Redis's serverCron)

    private void cron() {
        if (debugSwitches.cronPaused()) {
            return; // DEBUG PAUSE-CRON 1
        }
        long now = System.currentTimeMillis();
        keyspace.clock(now);
        try {
            dispatcher.checkPause(now);
            long t0 = System.nanoTime();
            expireCycle.run(now);
            dispatcher.propagation().flush();
            stats.expireCycleNanos += System.nanoTime() - t0;
            if (!keyspace.snapshotRunning()) {
                keyspace.shrinkSparseTables(); // a resize mid-snapshot is safe, but there is no hurry
            }
            persistence.cron(now);
            replication.cron(now);
            closeIdleClients(now);
            stats.sample(dispatcher.commandsProcessed(), now);
        } catch (RuntimeException e) {
            LOG.error("cron failed", e);
        } catch (Error e) {
            io.rookery.node.server.OutOfMemoryExit.ifOutOfMemory(e);
            throw e;
        }
    }

    private void closeIdleClients(long now) {
        long timeout = config.timeoutSeconds;
        for (Client c : new ArrayList<>(clients.all())) {
            if (timeout > 0 && !c.monitor && c.postponed == null && now - c.lastInteraction > timeout * 1000) {
                LOG.debug("Closing idle client {}", c.connection().remoteAddress());
                c.connection().close();
                continue;
            }
            checkOutputLimits(c);
        }
    }

    // ---------------------------------------------------------------- ServerContext

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public ProtocolLimits protocolLimits() {
        return limits;
    }

    @Override
    public String admit(ClientConnection connection) {
        if (clients.size() >= config.maxclients) {
            clients.rejected();
            return "-ERR max number of clients reached\r\n";
        }
        if (config.protectedMode && config.requirepass.isEmpty() && !connection.isLoopback()) {
            clients.rejected();
            return ProtectedMode.DENIED;
        }
        return null;
    }

    @Override
    public Client connected(ClientConnection connection, ByteBufAllocator allocator) {
        Client c = new Client(clients.nextId(), connection, allocator, System.currentTimeMillis());
        c.authenticated = config.requirepass.isEmpty();
        clients.add(c);
        return c;
    }

    @Override
    public void dispatch(Client client, byte[][] args) {
        dispatcher.dispatch(client, args);
    }

    @Override
    public void disconnected(Client client) {
        clients.remove(client);
        deferred.remove(client.connection());
        dispatcher.forget(client);
        pubsub.forget(client);
        blocking.forget(client);
        replication.forget(client);
    }

    @Override
    public void checkOutputLimits(Client client) {
        OutputBufferLimit limit = config.outputLimit(client.clientClass());
        if (limit.unlimited() || client.closing) {
            return;
        }
        long pending = client.connection().pendingOutputBytes();
        long now = System.currentTimeMillis();
        boolean hard = limit.hardBytes() > 0 && pending >= limit.hardBytes();
        boolean soft = false;
        if (limit.softBytes() > 0 && pending >= limit.softBytes()) {
            if (client.softLimitSince == 0) {
                client.softLimitSince = now;
            } else if (now - client.softLimitSince >= limit.softSeconds() * 1000) {
                soft = true;
            }
        } else {
            client.softLimitSince = 0;
        }
        if (hard || soft) {
            LOG.warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                    client.id(), client.connection().remoteAddress());
            client.connection().close();
        }
    }

    private final java.util.LinkedHashSet<ClientConnection> deferred = new java.util.LinkedHashSet<>();
    private boolean groupFlushScheduled;

    @Override
    public boolean deferFlush(ClientConnection connection) {
        if (!persistence.aofOn()) {
            return false;
        }
        deferred.add(connection);
        if (!groupFlushScheduled) {
            groupFlushScheduled = true;
            loop().execute(this::groupFlush); // runs after the reads of this loop iteration
        }
        return true;
    }

    /** One AOF write (and fsync under always) for every connection that read this iteration, then their replies. */
    private void groupFlush() {
        groupFlushScheduled = false;
        boolean durable = persistence.flushAof() || !config.appendfsync.equals("always");
        for (ClientConnection c : deferred) {
            if (durable) {
                c.flush();
            } else {
                c.close(); // under always, nothing not on disk is acknowledged
            }
        }
        deferred.clear();
    }

    @Override
    public boolean beforeReplies() {
        return persistence.flushAof() || !config.appendfsync.equals("always");
    }

    @Override
    public void traffic(long inBytes, long outBytes) {
        stats.netInputBytes += inBytes;
        stats.netOutputBytes += outBytes;
    }

    @Override
    public void log(String message) {
        LOG.info(message);
    }

    @Override
    public boolean admitsBulk(long length) {
        return evictor.makeRoom(length);
    }

    // ---------------------------------------------------------------- parts, for commands and the shell

    public Keyspace keyspace() {
        return keyspace;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ActiveExpireCycle expireCycle() {
        return expireCycle;
    }

    public InfoReport info() {
        return info;
    }

    public io.rookery.node.replication.Replication replication() {
        return replication;
    }

    public io.rookery.node.persistence.Persistence persistence() {
        return persistence;
    }

    public io.rookery.node.eviction.Evictor evictor() {
        return evictor;
    }

    public io.rookery.node.multi.Transactions transactions() {
        return transactions;
    }

    public io.rookery.node.blocking.Blocking blocking() {
        return blocking;
    }

    public io.rookery.node.pubsub.PubSub pubsub() {
        return pubsub;
    }

    public io.rookery.node.pubsub.KeyspaceNotifications notifications() {
        return notifications;
    }

    /** What new collection values are built with. */
    public io.rookery.node.types.TypeContext types() {
        return types;
    }

    public NodeStats stats() {
        return stats;
    }

    /** INFO used_memory: what maxmemory is compared against. */
    public long usedMemory() {
        return info.usedMemory();
    }

    public String runId() {
        return runId;
    }

    /** The switches DEBUG flips (PAUSE-CRON, SET-DISABLE-DENY-SCRIPTS, SET-SKIP-CHECKSUM-VALIDATION). */
    public io.rookery.node.debug.DebugSwitches debugSwitches() {
        return debugSwitches;
    }

    public long startMillis() {
        return startMillis;
    }
}
