package io.rookery.node;

import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.replication.Replication;
import io.rookery.node.server.ListenerRebinding;
import io.rookery.node.server.OutOfMemoryExit;
import io.rookery.node.server.RespServer;
import io.rookery.node.status.NodeStatus;
import io.rookery.node.status.StatusBoard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Rookery node's lifecycle: the Spring shell (or a test) builds it from a {@link NodeConfig}, starts
 * and stops it. The parts are built and wired by the {@link NodeAssembly}; the node binds the listener,
 * runs the cron's duties, and shuts down in order. Everything that touches data runs on the one
 * command thread (the server's event loop); other threads reach it through {@link #call}, and read the
 * node's state through the immutable {@link #status()} it publishes.
 */
public final class RookeryNode {
    public static final String REDIS_VERSION = NodeVersion.REDIS_VERSION;
    public static final String VERSION = NodeVersion.VERSION;
    private static final Logger LOG = LoggerFactory.getLogger(RookeryNode.class);
    /**
     * How long a stop waits for a MIGRATE batch already with its target: long enough for a healthy
     * target to answer, short of the 10 s a container runtime gives a stop before it kills.
     */
    private static final long MOVE_GRACE_MILLIS = 5_000;

    private final NodeConfig config;
    private final RespServer server = new RespServer();
    private final NodeAssembly parts;
    private final NodeServerContext context;
    private final ClientAdmission admission;
    private final StatusBoard status;
    private final NodeCron cron;
    private final List<Runnable> shutdownListeners = new ArrayList<>();
    private volatile boolean running;
    private ScheduledFuture<?> cronTask;

    public RookeryNode(NodeConfig config) {
        this.config = config;
        this.parts = new NodeAssembly(config, server.loop().next(), this::shutdownRequested, this::onShutdown);
        AofGroupCommit groupCommit = new AofGroupCommit(config, parts.persistence(), parts.loop());
        OutputLimits outputLimits = new OutputLimits(config);
        this.admission = new ClientAdmission(config, parts.clients(), List.of(
                parts.dispatcher()::forget, parts.pubsub()::forget, parts.blocking()::forget,
                parts.replication()::forget), parts.dispatcher().acl()::authRequired);
        parts.dispatcher().acl().loadAtStartup(); // aclfile: a broken file stops the start, as in Redis
        this.context = new NodeServerContext(config, admission, parts.dispatcher(), groupCommit, outputLimits,
                parts.stats(), parts.evictor(), parts.tracking());
        this.status = new StatusBoard(config, parts.identity(), parts.stats(), parts.memory(), parts.keyspace(),
                parts.dispatcher(), parts.clients(), parts.evictor(), parts.persistence(), parts.replication());
        this.cron = new NodeCron(parts.keyspace()::clock, parts.debugSwitches()::cronPaused,
                new CronDuties(parts, outputLimits, status).all());
        status.publish(); // nothing runs yet: safe off the command thread
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the listeners and starts the cron; returns the bound port. */
    public synchronized int start() throws InterruptedException {
        if (running) {
            return parts.identity().port();
        }
        int port;
        try {
            if (parts.profile().keepsDataset()) {
                parts.persistence().loadAtStartup();
            }
            port = server.bind(config.bind, config.port, config.tcpBacklog, context);
        } catch (RuntimeException e) {
            server.shutdown(); // a node that cannot start leaves no thread behind to keep the process alive
            throw e;
        }
        parts.identity().bound(port);
        if (config.port == 0) {
            config.port = port;
        }
        if (parts.cluster() != null) {
            try {
                parts.cluster().portsBound(config.bind);
            } catch (RuntimeException e) {
                server.shutdown(); // the bus could not listen: the node does not start, nor stay half up
                throw e;
            }
        }
        ListenerRebinding.register(config, server, context, loop(), port, p -> parts.identity().bound(p));
        if (!config.replicaof.isBlank() && parts.profile().keepsDataset()) {
            // after binding: the handshake announces the port we listen on
            String[] hp = config.replicaof.trim().split("\\s+");
            loop().execute(() -> parts.replication().replicaOf(hp[0], Integer.parseInt(hp[1])));
        }
        running = true;
        scheduleCron();
        config.onChange("hz", c -> loop().execute(this::scheduleCron));
        call(status::publish);
        LOG.info("Rookery {} (Redis {} compatible) ready to accept connections on port {}", VERSION, REDIS_VERSION, port);
        return port;
    }

    private void scheduleCron() {
        if (cronTask != null) {
            cronTask.cancel(false);
        }
        long period = Math.max(1, 1000 / config.hz);
        cronTask = loop().scheduleAtFixedRate(cron, period, period, TimeUnit.MILLISECONDS);
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
        Persistence persistence = parts.persistence();
        Replication replication = parts.replication();
        finishMovesInFlight();
        try {
            call(() -> {
                stopServing();
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing clients at stop", e);
        }
        server.closeListeners();
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
                persistence.cancel(); // a background save or AOF rewrite stops and removes its temporary file
                persistence.closeAof();
                replication.stop();
                if (parts.cluster() != null) {
                    parts.cluster().close(); // releases the config file for the next node
                }
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing the AOF and links at stop", e);
        }
        server.shutdown();
        LOG.info("Rookery node on port {} stopped", port());
    }

    /**
     * Before a stop closes the clients: no connection is admitted any more, and a MIGRATE whose batch
     * is with its target (its keys held, see KeyHolds) is given up to {@link #MOVE_GRACE_MILLIS} to
     * finish, so the keys the target acknowledged are deleted and their DELs reach the AOF before it
     * closes. Real redis-server handles SIGTERM only after the blocking MIGRATE it is in; a stop that
     * closed the caller and the AOF under a waiting MIGRATE deleted those keys after the AOF's last
     * write, and a restart brought them back: the keys were then on both the source and the target.
     */
    private void finishMovesInFlight() {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MOVE_GRACE_MILLIS);
            call(() -> {
                admission.close();
                return null;
            }).get(2, TimeUnit.SECONDS);
            while (call(() -> parts.dispatcher().holds().active()).get(2, TimeUnit.SECONDS)
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("waiting for slot moves in flight at stop", e);
        }
    }

    /**
     * The first step of a stop, on the command thread: no connection is admitted any more, the AOF's
     * buffer is written (before the replies it covers go out), and every client is closed once its
     * pending replies are flushed, unread requests dropped. From here on no client command runs, so
     * nothing is acknowledged after the AOF's last flush or the final save, as in Redis, which runs
     * no command after prepareForShutdown. Before, a connection accepted (or input read) after the AOF
     * was closed was still served: its writes were acknowledged and gone after a restart; a slot move
     * whose target was stopped mid-batch lost the batch that way (the source deletes what the target
     * acknowledged). Idempotent.
     */
    private void stopServing() {
        admission.close();
        parts.persistence().flushAof();
        for (Client c : new ArrayList<>(parts.clients().all())) {
            c.connection().closeAfterFlush();
        }
    }

    /** SHUTDOWN (on the command thread): stop serving now, stop the node and tell whoever started it (the service exits the process). */
    public void shutdownRequested() {
        stopServing();
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

    /** The live configuration the node was built from (CONFIG SET changes it). */
    public NodeConfig config() {
        return config;
    }

    /** The bound RESP port; 0 before {@link #start}. */
    public int port() {
        return parts.identity().port();
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
                OutOfMemoryExit.ifOutOfMemory(t);
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** The command thread. */
    public EventLoop loop() {
        return parts.loop();
    }

    // ---------------------------------------------------------------- state, for other threads

    /** The status the command thread published last (every cron run); safe on any thread. */
    public NodeStatus status() {
        return status.latest();
    }

    /** Takes and publishes a status now, on the command thread, and completes with it. */
    public CompletableFuture<NodeStatus> freshStatus() {
        return call(status::publish);
    }

    /**
     * The node's parts, for work that must run on the command thread ({@link #call}): the shell's
     * control endpoints, the sentinel built on this node, tests.
     */
    public NodeAssembly parts() {
        return parts;
    }
}
