package io.rookery.node;

import io.netty.channel.EventLoop;
import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.cluster.Cluster;
import io.rookery.node.cluster.ClusterConfigException;
import io.rookery.node.cluster.ClusterNodeLinks;
import io.rookery.node.cluster.ClusterSettings;
import io.rookery.node.cluster.ClusterSlotGuard;
import io.rookery.node.command.CommandBasics;
import io.rookery.node.command.CommandParts;
import io.rookery.node.command.CommandSet;
import io.rookery.node.config.KeyspaceEventFlags;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.GateStages;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.eviction.OomGuard;
import io.rookery.node.info.InfoReport;
import io.rookery.node.info.MemoryUsage;
import io.rookery.node.keyspace.ActiveExpireCycle;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.keyspace.KeyspaceObserver;
import io.rookery.node.migrate.MigrateConnections;
import io.rookery.node.multi.Transactions;
import io.rookery.node.persistence.MisconfGuard;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.pubsub.KeyspaceNotifications;
import io.rookery.node.pubsub.PubSub;
import io.rookery.node.pubsub.SubscribedContextGuard;
import io.rookery.node.replication.Replication;
import io.rookery.node.tracking.KeyTracking;
import io.rookery.node.types.TypeContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Builds a node's parts and wires them together, once, for one {@link NodeProfile}: the keyspace, the
 * gate and its stages, the subsystems (blocking, transactions, eviction, persistence, replication,
 * pub/sub) and the command families, each given by constructor only the parts it uses. This is the one
 * place that knows every part; {@link RookeryNode} runs the result.
 *
 * <p>The getters are for the node's lifecycle, the service shell's control paths and tests; command
 * families and subsystems never see the assembly.
 */
public final class NodeAssembly {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

    private final NodeConfig config;
    private final NodeProfile profile;
    private final NodeIdentity identity = new NodeIdentity();
    private final NodeStats stats = new NodeStats();
    private final EventLoop loop;
    private final Keyspace keyspace;
    private final MemoryUsage memory;
    private final TypeContext types;
    private final CommandRegistry registry;
    private final Dispatcher dispatcher;
    private final ClientRegistry clients = new ClientRegistry();
    private final ActiveExpireCycle expireCycle;
    private final PubSub pubsub = new PubSub();
    private final KeyspaceNotifications notifications;
    private final Blocking blocking;
    private final Transactions transactions;
    private final Evictor evictor;
    private final Persistence persistence;
    private final Replication replication;
    private final KeyTracking tracking;
    private final InfoReport info = new InfoReport();
    private final DebugSwitches debugSwitches = new DebugSwitches();
    private final MigrateConnections migrateConnections = new MigrateConnections();
    private final Cluster cluster;

    /**
     * @param loop     the command thread: every part that schedules work runs it there
     * @param shutdown   what SHUTDOWN asks of the node once it has saved
     * @param onShutdown registers a part's own work for when the node stops
     */
    public NodeAssembly(NodeConfig config, EventLoop loop, Runnable shutdown, Consumer<Runnable> onShutdown) {
        this.config = config;
        this.profile = NodeProfile.of(config);
        this.loop = loop;
        if (!profile.keepsDataset()) {
            config.save = ""; // nothing to load, nothing to save
            config.appendonly = false;
        }
        this.keyspace = new Keyspace(config);
        this.memory = new MemoryUsage(keyspace);
        this.types = new TypeContext(keyspace.memoryCounter(), config);
        this.notifications = new KeyspaceNotifications(pubsub, config);
        this.registry = profile.newRegistry();
        this.dispatcher = new Dispatcher(registry, keyspace, config);
        this.expireCycle = new ActiveExpireCycle(keyspace, config);
        this.blocking = new Blocking(loop);
        dispatcher.afterCommand(this::serveBlockedClients);
        this.transactions = new Transactions(keyspace);
        blocking.onKeyWritten(transactions::touch);
        transactions.dispatcher(dispatcher);
        dispatcher.multiQueue(transactions);
        dispatcher.addWriteObserver((client, spec, args, db) -> {
            if (transactions.hasWatchers()) {
                for (int p : spec.keyPositions(args)) {
                    transactions.touch(db, args[p]);
                }
            }
        });
        this.tracking = newTracking(config, loop);
        this.evictor = new Evictor(keyspace, config, memory::used, (db, key) -> {
            notifications.keyEvent(KeyspaceEventFlags.EVICTED, "evicted", key, db.id());
            dispatcher.propagation().add(db.id(), DEL, key);
            transactions.touch(db.id(), key);
            tracking.invalidate(null, key, true);
        });
        evictor.reportLatencyTo(dispatcher.latencyMonitor());
        if (profile.keepsDataset()) {
            evictor.logLimit();
        }
        // a lower limit takes effect at once, as Redis's updateMaxmemory evicts inside CONFIG SET
        config.onChange("maxmemory", c -> onCommandThread(evictor::performEvictions));
        this.persistence = new Persistence(config, keyspace, types, dispatcher, loop, memory::used);
        config.onChange("appendonly", c -> onCommandThread(() -> persistence.enableAof(c.appendonly)));
        this.replication = new Replication(config, keyspace, types, dispatcher, loop, identity, persistence.snapshots(), memory::used);
        dispatcher.propagation().addPropagator(replication);
        this.cluster = startCluster();
        declareGateStages(dispatcher.stages());
        keyspace.observer(new KeyspaceObserver() {
            @Override
            public void keyExpired(Database db, byte[] key) {
                transactions.touch(db.id(), key);
                tracking.invalidate(null, key, true);
                dispatcher.propagation().add(db.id(), DEL, key);
                notifications.keyEvent(KeyspaceEventFlags.EXPIRED, "expired", key, db.id());
            }

            @Override
            public void keyAdded(Database db, byte[] key, Object value) {
                blocking.signal(db.id(), key);
            }

            @Override
            public void keyCreated(Database db, byte[] key) {
                notifications.keyEvent(KeyspaceEventFlags.NEW, "new", key, db.id());
            }

            @Override
            public void flushed(int db) {
                tracking.invalidateAll();
            }
        });
        new NodeInfoSections(config, profile, identity, stats, memory, keyspace, expireCycle, dispatcher, clients,
                blocking, pubsub, evictor, persistence, replication).registerWith(info);
        if (profile.keepsDataset()) { // the bus links' memory, summed by the cluster cron as Redis does
            info.extend("memory", out -> out.field("mem_cluster_links", cluster == null ? 0 : cluster.stats().linksMemory()));
        }
        info.extend("clients", out -> out.field("tracking_clients", tracking.trackingClients()));
        info.extend("stats", out -> out.field("tracking_total_keys", tracking.totalKeys())
                .field("tracking_total_items", tracking.totalItems())
                .field("tracking_total_prefixes", tracking.totalPrefixes()));
        config.onChange("slowlog-max-len", c -> onCommandThread(() -> dispatcher.slowLog().trim(c.slowlogMaxLen)));
        CommandSet.registerAll(registry, new CommandParts(new CommandBasics(config, keyspace, dispatcher, notifications),
                profile, loop, types, blocking, transactions, clients, pubsub, persistence, replication, evictor, info,
                stats, expireCycle, debugSwitches, shutdown, onShutdown, migrateConnections, tracking, cluster));
        info.extend("stats", out -> out.field("migrate_cached_sockets", migrateConnections.size()));
    }

    /**
     * Client-side caching, wired to the gate: it sees every command run (to remember what tracking
     * clients read) and every write (to invalidate), and forgets clients that leave or RESET.
     */
    private KeyTracking newTracking(NodeConfig config, EventLoop loop) {
        long[] maxKeys = {trackingTableMaxKeys(config)};
        config.onChange("tracking-table-max-keys", c -> maxKeys[0] = trackingTableMaxKeys(c));
        KeyTracking t = new KeyTracking(clients, loop, () -> maxKeys[0], name -> registry.table().lookup(name));
        dispatcher.propagation().addPropagator(t);
        dispatcher.addCallObserver(t);
        dispatcher.addWriteObserver(t);
        dispatcher.onForget(t::forget);
        return t;
    }

    /**
     * After each top-level command: blocked clients whose keys are ready are served (their writes reach
     * tracking). Not while MIGRATE holds keys in flight: a served BLMOVE writes to its destination past
     * the gate, which might be a held key; they are served when the keys are let go.
     */
    private void serveBlockedClients() {
        if (dispatcher.holds().active()) {
            return;
        }
        keyspace.clock(System.currentTimeMillis()); // as Redis's handleClientsBlockedOnKeys: a key that expired during the command stays unserved
        int blockedBefore = blocking.blockedCount();
        blocking.serveReady();
        if (blocking.blockedCount() < blockedBefore) {
            tracking.expectServedWrites();
        }
    }

    private static long trackingTableMaxKeys(NodeConfig config) {
        return Long.parseLong(config.parameter("tracking-table-max-keys").get().trim());
    }

    /** What cluster mode drives in this node: replication, local pub/sub delivery, a lost slot's keys. */
    private ClusterNodeLinks clusterLinks() {
        return new ClusterNodeLinks() {
            @Override
            public void replicate(String host, int port) {
                replication.replicaOf(host, port);
            }

            @Override
            public void promote() {
                replication.promote();
            }

            @Override
            public void emptyData() {
                for (int i = 0; i < keyspace.count(); i++) {
                    keyspace.db(i).flush();
                }
            }

            @Override
            public long replicationDataAge(long now) {
                return replication.masterDataAgeMillis(now);
            }

            @Override
            public void deliver(byte[] channel, byte[] message, boolean sharded) {
                if (sharded) {
                    pubsub.publishShard(channel, message);
                } else {
                    pubsub.publish(channel, message);
                }
            }

            @Override
            public void deleteKeysInSlot(int slot) {
                Database db = keyspace.db(0);
                for (byte[] key : db.slotIndex().keys(slot, Long.MAX_VALUE)) {
                    db.delete(key);
                    dispatcher.propagation().add(0, DEL, key);
                    transactions.touch(0, key);
                }
            }

            @Override
            public void pauseWrites(long untilMillis) {
                dispatcher.pauseWritesForFailover(untilMillis);
            }

            @Override
            public void unpauseWrites() {
                loop.execute(dispatcher::unpauseFailover); // not inside the command or bus event that ended it
            }
        };
    }

    /** Runs {@code task} now when on the command thread (CONFIG SET), else queues it there. */
    private void onCommandThread(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** The state checks of the gate, each in its named stage (the order is the gate's, not this method's). */
    private void declareGateStages(GateStages stages) {
        stages.subscribedContext(new SubscribedContextGuard());
        stages.outOfMemory(new OomGuard(evictor, config));
        stages.misconf(new MisconfGuard(persistence));
        stages.staleData((client, spec, args) -> replication.staleDataError(spec));
        stages.readOnlyReplica((client, spec, args) -> spec.isWrite() && replication.isReplica() && config.replicaReadOnly
                ? "READONLY You can't write against a read only replica." : null);
        stages.minReplicas((client, spec, args) -> spec.isWrite() ? replication.noReplicasError() : null);
        if (cluster != null) {
            stages.clusterSlot(new ClusterSlotGuard(cluster, keyspace.db(0)));
            dispatcher.addCallObserver(cluster.slotStats());
            dispatcher.onResetStats(cluster.slotStats()::reset);
        }
    }

    /**
     * Cluster mode, when {@code cluster-enabled yes}: loads or creates the cluster config file (a node
     * that cannot use it must not start) and indexes database 0 by slot.
     */
    private Cluster startCluster() {
        ClusterSettings settings = new ClusterSettings(config);
        if (!settings.enabled() || !profile.keepsDataset()) {
            return null;
        }
        try {
            Cluster started = Cluster.start(settings, Path.of(config.dir), keyspace.db(0).indexBySlot(), replication::offset,
                    loop, clusterLinks(), () -> config.replPingReplicaPeriod, System.currentTimeMillis());
            dispatcher.afterCommand(started::afterCommand);
            pubsub.relay(started::publish);
            return started;
        } catch (ClusterConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public NodeConfig config() {
        return config;
    }

    public NodeProfile profile() {
        return profile;
    }

    public NodeIdentity identity() {
        return identity;
    }

    public NodeStats stats() {
        return stats;
    }

    public EventLoop loop() {
        return loop;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public MemoryUsage memory() {
        return memory;
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

    public PubSub pubsub() {
        return pubsub;
    }

    public Blocking blocking() {
        return blocking;
    }

    public Transactions transactions() {
        return transactions;
    }

    public Evictor evictor() {
        return evictor;
    }

    public Persistence persistence() {
        return persistence;
    }

    public Replication replication() {
        return replication;
    }

    public KeyTracking tracking() {
        return tracking;
    }

    /** Cluster mode, or null when the node runs without it. */
    public Cluster cluster() {
        return cluster;
    }

    public InfoReport info() {
        return info;
    }

    /** MIGRATE's cached connections to its targets. */
    public MigrateConnections migrateConnections() {
        return migrateConnections;
    }

    /** The switches DEBUG flips (PAUSE-CRON, SET-DISABLE-DENY-SCRIPTS, SET-SKIP-CHECKSUM-VALIDATION). */
    public DebugSwitches debugSwitches() {
        return debugSwitches;
    }
}
