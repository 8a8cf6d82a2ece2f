package io.rookery.sentinel;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.keyspace.Glob;
import io.rookery.sentinel.Instance.Flag;
import io.rookery.sentinel.Instance.Kind;
import io.rookery.sentinel.SentinelEvents.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis-Sentinel-compatible monitor: watches primaries, their replicas and the other sentinels,
 * agrees with them that a primary is down, elects a leader and fails over, following Redis
 * Sentinel's algorithm (sentinel.c) and speaking its commands and events.
 *
 * <p>The sentinel is a node in sentinel mode: its RESP server, client handling, AUTH, HELLO, CLIENT
 * and pub/sub are the node's, over redis-sentinel's command table; the SENTINEL command, INFO, ROLE
 * and PUBLISH are this package's. Everything (commands, outgoing links, the timer) runs on the node's
 * one thread, so the state below needs no locks. Other threads go through {@link #call}.
 */
public final class Sentinel {
    public static final int DEFAULT_PORT = 26379;
    static final String HELLO_CHANNEL = "__sentinel__:hello";
    static final int MAX_PENDING_COMMANDS = 100;
    static final int MAX_DESYNC = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Sentinel.class);

    final RookeryNode node;
    final SentinelTimings timings = new SentinelTimings();
    final SentinelEvents events;
    final SentinelStats stats = new SentinelStats();
    final Map<String, Master> masters = new LinkedHashMap<>();
    final Random random = new Random();
    final SentinelConfigFile configFile;

    String myId;
    long currentEpoch;
    boolean tilt;
    long tiltStartedAt;
    long previousTime = System.currentTimeMillis();
    String announceIp;
    int announcePort;
    boolean resolveHostnames;
    boolean announceHostnames;
    boolean denyScriptsReconfig = true;
    String sentinelUser;
    String sentinelPass;
    int simulatedFailures;
    /** What SENTINEL SIMULATE-FAILURE's crashes do: end the process, as Redis does. */
    Runnable crash = () -> Runtime.getRuntime().halt(99);

    final InstanceMonitor monitor;
    final InfoRefresh infoRefresh;
    final HelloMessages hello;
    final FailureDetector detector;
    final LeaderElection election;
    final Failover failover;
    final NotificationScripts scripts;
    private ScheduledFuture<?> timer;

    private Sentinel(NodeConfig nodeConfig, SentinelConfigFile configFile) {
        this.node = new RookeryNode(nodeConfig);
        this.configFile = configFile;
        this.events = new SentinelEvents(node, this);
        this.monitor = new InstanceMonitor(this);
        this.infoRefresh = new InfoRefresh(this);
        this.hello = new HelloMessages(this);
        this.detector = new FailureDetector(this);
        this.election = new LeaderElection(this);
        this.failover = new Failover(this);
        this.scripts = new NotificationScripts(this);
        events.addListener(stats::record);
        events.addListener(scripts::onEvent);
        new SentinelCommands(this).register(node.parts().registry());
        node.parts().info().section("sentinel", new SentinelInfo(this)::write);
    }

    /**
     * Builds a sentinel from a sentinel.conf-style file (server directives and {@code sentinel ...}
     * lines, as redis-sentinel reads it); {@code nodeSettings} then adjusts the server side (port,
     * bind...). The file must be writable: the sentinel keeps its state in it. With
     * {@code createIfMissing} an absent file starts empty.
     */
    public static Sentinel open(Path file, boolean createIfMissing, Consumer<NodeConfig> nodeSettings)
            throws ConfigException {
        NodeConfig nodeConfig = new NodeConfig();
        nodeConfig.sentinelMode = true;
        nodeConfig.load("port", Integer.toString(DEFAULT_PORT));
        nodeConfig.load("protected-mode", "no"); // a sentinel must be reachable
        SentinelConfigFile configFile = SentinelConfigFile.read(file, createIfMissing, nodeConfig);
        nodeSettings.accept(nodeConfig);
        Sentinel s = new Sentinel(nodeConfig, configFile);
        configFile.applyTo(s);
        return s;
    }

    /**
     * Before {@link #start}: applies one sentinel.conf option, given as the words after "sentinel"
     * ({@code "announce-ip", "10.0.0.7"}); fails with Redis's message.
     */
    public void configure(String... words) throws ConfigException {
        String error = SentinelConfigFile.apply(this, List.of(words));
        if (error != null) {
            throw new ConfigException("sentinel " + shown(words) + ": " + error);
        }
    }

    /** The words of an option as an error message may show them: passwords masked. */
    private static String shown(String... words) {
        List<String> out = new ArrayList<>(List.of(words));
        String option = out.get(0).toLowerCase(java.util.Locale.ROOT);
        int secret = option.equals("auth-pass") ? 2 : option.equals("sentinel-pass") ? 1 : -1;
        if (secret > 0 && secret < out.size()) {
            out.set(secret, "******");
        }
        return String.join(" ", out);
    }

    /**
     * A path from the configuration (notification-script, client-reconfig-script) as Redis resolves
     * it: relative paths against {@code dir}, the directory Redis makes its working directory.
     */
    Path resolve(String path) {
        return dir().resolve(path);
    }

    /** The directory scripts run in: {@code dir}, Redis's working directory. */
    Path dir() {
        return Path.of(node.config().dir);
    }

    /** Before {@link #start}: whether a primary of that name is monitored (from the file, say). */
    public boolean monitors(String name) {
        return masters.containsKey(name);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the port, settles the sentinel id, announces the monitored primaries and starts the timer. */
    public int start() throws InterruptedException {
        int port = node.start();
        call(() -> {
            if (myId == null) {
                byte[] id = new byte[20];
                new SecureRandom().nextBytes(id);
                myId = HexFormat.of().formatHex(id);
                flushConfig();
            }
            LOG.info("Sentinel ID is {}", myId);
            for (Master m : masters.values()) {
                events.about(Level.WARNING, "+monitor", m, "quorum " + m.quorum);
            }
            long now = now();
            for (Master m : masters.values()) {
                m.startClocks(now);
                m.replicas.values().forEach(r -> r.startClocks(now));
                m.sentinels.values().forEach(r -> r.startClocks(now));
            }
            previousTime = now;
            scheduleTimer();
            return null;
        }).join();
        return port;
    }

    public void stop() {
        try {
            call(() -> {
                if (timer != null) {
                    timer.cancel(false);
                }
                for (Master m : masters.values()) {
                    releaseAll(m);
                }
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("stopping the sentinel timer", e);
        }
        node.stop(false);
    }

    /**
     * The timer runs 10 to 20 times a second at a randomly varying rate, as Redis's does: sentinels
     * started together must not stay in step, or they would ask for votes at the same instants forever.
     */
    private void scheduleTimer() {
        long delay = 1000 / (10 + random.nextInt(10));
        timer = node.loop().schedule(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("sentinel timer failed", e);
            }
            if (node.running()) {
                scheduleTimer();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** One pass of Redis's sentinelTimer. */
    void tick() {
        checkTilt();
        handleAll(masters);
        scripts.run();
        publishHealth();
    }

    /** The health of every primary, refreshed each timer pass, for readers on other threads (metrics). */
    public record MasterHealth(String status, int replicas, int replicasDown, int sentinels, boolean failingOver,
                               long configEpoch) {
    }

    private volatile Map<String, MasterHealth> health = Map.of();
    private volatile boolean tiltNow;

    private void publishHealth() {
        Map<String, MasterHealth> h = new LinkedHashMap<>();
        for (Master m : masters.values()) {
            int down = (int) m.replicas.values().stream().filter(Instance::isDown).count();
            String status = m.is(Flag.O_DOWN) ? "odown" : m.is(Flag.S_DOWN) ? "sdown" : "ok";
            h.put(m.name, new MasterHealth(status, m.replicas.size(), down, m.sentinels.size() + 1,
                    m.is(Flag.FAILOVER_IN_PROGRESS), m.configEpoch));
        }
        health = Map.copyOf(h);
        tiltNow = tilt;
    }

    /** As of the last timer pass; any thread. */
    public Map<String, MasterHealth> health() {
        return health;
    }

    /** Whether the sentinel was in TILT at the last timer pass; any thread. */
    public boolean inTilt() {
        return tiltNow;
    }

    private void checkTilt() {
        long now = now();
        long delta = now - previousTime;
        if (delta < 0 || delta > timings.tiltTrigger) {
            tilt = true;
            tiltStartedAt = now;
            events.emit(Level.WARNING, "+tilt", null, "#tilt mode entered");
        }
        previousTime = now;
    }

    private void handleAll(Map<String, ? extends Instance> instances) {
        Master switchToPromoted = null;
        for (Instance i : new ArrayList<>(instances.values())) {
            handle(i);
            if (i instanceof Master m) {
                handleAll(m.replicas);
                handleAll(m.sentinels);
                if (m.failoverState == Master.FailoverState.UPDATE_CONFIG) {
                    switchToPromoted = m;
                }
            }
        }
        if (switchToPromoted != null) {
            failover.switchToPromoted(switchToPromoted);
        }
    }

    private void handle(Instance i) {
        if (i.released) {
            return;
        }
        // the monitoring half runs even in TILT
        monitor.reconnect(i);
        monitor.sendPeriodicCommands(i);
        // the acting half waits until TILT is over
        if (tilt) {
            if (now() - tiltStartedAt < timings.tiltPeriod) {
                return;
            }
            tilt = false;
            events.emit(Level.WARNING, "-tilt", null, "#tilt mode exited");
        }
        detector.checkSubjectivelyDown(i);
        if (i instanceof Master m) {
            detector.checkObjectivelyDown(m);
            if (failover.startIfNeeded(m)) {
                detector.askOtherSentinels(m, true);
            }
            failover.step(m);
            detector.askOtherSentinels(m, false);
        }
    }

    // ---------------------------------------------------------------- instances

    Master createMaster(String name, String host, int port, int quorum) throws InstanceRejected {
        InstanceAddress addr = InstanceAddress.of(host, port, resolveHostnames, true);
        if (masters.containsKey(name)) {
            throw new InstanceRejected("Duplicate master name.");
        }
        Master m = new Master(name, addr, quorum, timings.defaultDownAfter, timings.defaultFailoverTimeout, now());
        masters.put(name, m);
        return m;
    }

    Instance createReplica(Master m, String host, int port) throws InstanceRejected {
        InstanceAddress addr = InstanceAddress.of(host, port, resolveHostnames, true);
        String name = addr.announcedWithPort(announceHostnames);
        if (m.replicas.containsKey(name)) {
            throw new InstanceRejected("Duplicate hostname and port for replica.");
        }
        Instance r = new Instance(Kind.REPLICA, name, addr, m, m.downAfterPeriod, now());
        m.replicas.put(name, r);
        return r;
    }

    Instance createSentinel(Master m, String runId, String host, int port) throws InstanceRejected {
        InstanceAddress addr = InstanceAddress.of(host, port, resolveHostnames, true);
        if (m.sentinels.containsKey(runId)) {
            throw new InstanceRejected("Duplicate runid for sentinel.");
        }
        Instance s = new Instance(Kind.SENTINEL, runId, addr, m, m.downAfterPeriod, now());
        s.runId = runId;
        m.sentinels.put(runId, s);
        return s;
    }

    /** Drops an instance: its link closes unless another primary's entry for the same sentinel shares it. */
    void release(Instance i) {
        i.released = true;
        i.link.refcount--;
        if (i.link.refcount == 0) {
            i.link.closeAll();
        }
        if (i.kind == Kind.REPLICA && i.is(Flag.PROMOTED) && i.master != null && i.master.promoted == i) {
            i.master.promoted = null;
        }
    }

    void releaseAll(Master m) {
        m.replicas.values().forEach(this::release);
        m.sentinels.values().forEach(this::release);
        release(m);
    }

    Instance lookupReplica(Master m, String host, int port) {
        try {
            InstanceAddress addr = InstanceAddress.of(host, port, resolveHostnames, false);
            return m.replicas.get(addr.announcedWithPort(announceHostnames));
        } catch (InstanceRejected e) {
            return null;
        }
    }

    /** A sentinel of {@code m} by address and/or run id (either may be null, not both). */
    Instance sentinelByAddressAndRunId(Map<String, ? extends Instance> instances, String host, int port, String runId) {
        InstanceAddress addr = null;
        if (host != null) {
            try {
                addr = InstanceAddress.of(host, port, resolveHostnames, true);
            } catch (InstanceRejected e) {
                return null;
            }
        }
        for (Instance i : instances.values()) {
            if (runId != null && i.runId == null) {
                continue;
            }
            if ((runId == null || i.runId.equals(runId)) && (addr == null || i.addr.sameAsByAddressOrName(addr))) {
                return i;
            }
        }
        return null;
    }

    /** Removes every sentinel of {@code m} with this run id; how many. */
    int removeSentinelsWithRunId(Master m, String runId) {
        int removed = 0;
        for (Iterator<Instance> it = m.sentinels.values().iterator(); it.hasNext(); ) {
            Instance s = it.next();
            if (runId.equals(s.runId)) {
                it.remove();
                release(s);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Shares the link of the same sentinel (same run id) already known under another primary, so one
     * physical sentinel gets one connection and one PING per period. True when shared.
     */
    boolean tryConnectionSharing(Instance s) {
        if (s.runId == null || s.link.refcount > 1) {
            return false;
        }
        for (Master m : masters.values()) {
            if (m == s.master) {
                continue;
            }
            Instance match = sentinelByAddressAndRunId(m.sentinels, null, 0, s.runId);
            if (match == null || match == s) {
                continue;
            }
            s.link.refcount--;
            if (s.link.refcount == 0) {
                s.link.closeAll();
            }
            s.link = match.link;
            match.link.refcount++;
            return true;
        }
        return false;
    }

    /** A sentinel changed address: update its entries under every primary and reconnect them. */
    int updateSentinelAddressInAllMasters(Instance s) {
        int reconfigured = 0;
        for (Master m : masters.values()) {
            Instance match = sentinelByAddressAndRunId(m.sentinels, null, 0, s.runId);
            if (match == null) {
                continue;
            }
            match.link.closeAll();
            if (match == s) {
                continue;
            }
            match.addr = s.addr;
            reconfigured++;
        }
        if (reconfigured > 0) {
            events.about(Level.NOTICE, "+sentinel-address-update", s, reconfigured + " additional matching instances");
        }
        return reconfigured;
    }

    /** Drops the connections to every other sentinel (after the credentials for them changed). */
    int dropSentinelConnections() {
        int dropped = 0;
        for (Master m : masters.values()) {
            for (Instance s : m.sentinels.values()) {
                if (!s.link.disconnected) {
                    s.link.closeAll();
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Reconnects to a primary and its replicas (after its credentials changed). */
    void dropInstanceConnections(Master m) {
        m.link.closeAll();
        for (Instance r : m.replicas.values()) {
            r.link.closeAll();
        }
    }

    /**
     * SENTINEL RESET: forgets the replicas (and, unless {@code keepSentinels}, the sentinels), clears the
     * runtime flags and any failover, and reconnects; a failover may start again at once.
     */
    void resetMaster(Master m, boolean keepSentinels, boolean event) {
        m.replicas.values().forEach(this::release);
        m.replicas = new LinkedHashMap<>();
        if (!keepSentinels) {
            m.sentinels.values().forEach(this::release);
            m.sentinels = new LinkedHashMap<>();
        }
        m.link.closeAll();
        m.flags.clear();
        m.leader = null;
        m.failoverState = Master.FailoverState.NONE;
        m.failoverStateChangedAt = 0;
        m.failoverStartedAt = 0;
        m.promoted = null;
        m.runId = null;
        m.replicaMasterHost = null;
        long now = now();
        m.link.activePingSince = now;
        m.link.lastPingSent = 0;
        m.link.lastAvailable = now;
        m.link.lastPongReceived = now;
        m.roleReportedAt = now;
        m.roleReported = Kind.MASTER;
        if (event) {
            events.about(Level.WARNING, "+reset-master", m, "");
        }
    }

    int resetMastersMatching(String pattern) {
        int reset = 0;
        for (Master m : masters.values()) {
            if (Glob.matches(pattern, m.name)) {
                resetMaster(m, false, true);
                reset++;
            }
        }
        return reset;
    }

    /**
     * Points {@code m} at a new address after a switch: the replicas are kept (but the one now primary),
     * and the old primary becomes a replica, so it is reconfigured when it comes back.
     */
    void resetMasterAndChangeAddress(Master m, String host, int port) throws InstanceRejected {
        InstanceAddress newAddr = InstanceAddress.of(host, port, resolveHostnames, false);
        List<InstanceAddress> replicas = new ArrayList<>();
        for (Instance r : m.replicas.values()) {
            if (!r.addr.sameAs(newAddr)) {
                replicas.add(r.addr);
            }
        }
        if (!newAddr.sameAs(m.addr)) {
            replicas.add(m.addr);
        }
        resetMaster(m, true, false);
        m.addr = newAddr;
        m.oDownSince = 0;
        m.sDownSince = 0;
        for (InstanceAddress a : replicas) {
            try {
                Instance r = createReplica(m, a.hostname(), a.port());
                events.about(Level.NOTICE, "+slave", r, "");
            } catch (InstanceRejected e) {
                LOG.debug("replica {} not re-added: {}", a, e.getMessage());
            }
        }
        flushConfig();
    }

    // ---------------------------------------------------------------- helpers

    long now() {
        return System.currentTimeMillis();
    }

    /** Persists the state to the config file; false (logged) when it could not be written. */
    boolean flushConfig() {
        return configFile.flush(this);
    }

    // ---------------------------------------------------------------- the outside world (any thread)

    public RookeryNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public <T> CompletableFuture<T> call(Supplier<T> task) {
        return node.call(task);
    }

    /** Listeners run on the sentinel's thread and must not block. */
    public void addListener(Consumer<SentinelEvent> listener) {
        events.addListener(listener);
    }

    public SentinelStats stats() {
        return stats;
    }

    /** A consistent picture of every monitored primary, taken on the sentinel's thread. */
    public CompletableFuture<List<MasterView>> masters() {
        return call(() -> masters.values().stream().map(m -> MasterView.of(this, m)).toList());
    }

    public CompletableFuture<MasterView> master(String name) {
        return call(() -> {
            Master m = masters.get(name);
            return m == null ? null : MasterView.of(this, m);
        });
    }

    /** SENTINEL FAILOVER: starts a forced failover; completes with null, or Redis's error text. */
    public CompletableFuture<String> forceFailover(String name) {
        return call(() -> failover.force(masters.get(name)));
    }

    public CompletableFuture<String> myId() {
        return call(() -> myId);
    }
}
