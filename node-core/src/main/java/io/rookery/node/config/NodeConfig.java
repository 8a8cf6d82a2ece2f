package io.rookery.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The node's one configuration model. Every parameter carries its Redis 7.0 name and default; the
 * Spring shell, a redis.conf-style file ({@link ConfigFile}) and CONFIG SET all write through
 * {@link #set}/{@link #load}, so the three sources can never disagree.
 *
 * <p>Typed values are public fields read directly on the hot path; they are written only through the
 * parameters below. Listeners registered with {@link #onChange} apply changes that need action (rebind
 * a port, resize limits) and may veto a value by throwing.
 */
public final class NodeConfig {

    public enum EvictionPolicy {
        NOEVICTION, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public boolean lfu() {
            return this == ALLKEYS_LFU || this == VOLATILE_LFU;
        }
    }

    // ---------------------------------------------------------------- network and clients
    public volatile List<String> bind = List.of("*", "-::*");
    public volatile int port = 6379;
    public volatile boolean protectedMode = true;
    public volatile int tcpBacklog = 511;
    public volatile long timeoutSeconds = 0;
    public volatile long tcpKeepalive = 300;
    public volatile String requirepass = "";
    public volatile long maxclients = 10000;
    public volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    public volatile long clientQueryBufferLimit = 1024L * 1024 * 1024;
    public volatile OutputBufferLimit outputLimitNormal = OutputBufferLimit.NONE;
    public volatile OutputBufferLimit outputLimitReplica = new OutputBufferLimit(256L << 20, 64L << 20, 60);
    public volatile OutputBufferLimit outputLimitPubsub = new OutputBufferLimit(32L << 20, 8L << 20, 60);

    // ---------------------------------------------------------------- server
    public volatile int databases = 16;
    public volatile int hz = 10;
    public volatile boolean dynamicHz = true;
    public volatile int activeExpireEffort = 1;
    public volatile long slowlogLogSlowerThan = 10000;
    public volatile long slowlogMaxLen = 128;
    public volatile long latencyMonitorThreshold = 0;
    public volatile boolean latencyTracking = true;
    public volatile double[] latencyTrackingInfoPercentiles = {50, 99, 99.9};
    /** Scripting: after this many milliseconds a running script makes other clients get BUSY (0: never). */
    public volatile long busyReplyThresholdMillis = 5000;
    public volatile String loglevel = "notice";
    public volatile String logfile = "";
    public volatile String pidfile = "";
    public volatile String configFile = "";
    /**
     * Set by a sentinel before the node is built (not a directive): the node then serves
     * redis-sentinel's command set, keeps no data and never loads or saves a dataset.
     */
    public volatile boolean sentinelMode;
    public volatile String notifyKeyspaceEvents = "";

    // ---------------------------------------------------------------- memory
    public volatile long maxmemory = 0;
    public volatile EvictionPolicy maxmemoryPolicy = EvictionPolicy.NOEVICTION;
    public volatile int maxmemorySamples = 5;
    public volatile int lfuLogFactor = 10;
    public volatile int lfuDecayTime = 1;

    // ---------------------------------------------------------------- replication
    public volatile String replicaof = "";
    public volatile String masterauth = "";
    public volatile String masteruser = "";
    public volatile boolean replicaReadOnly = true;
    public volatile boolean replicaServeStaleData = true;
    public volatile String replicaAnnounceIp = "";
    public volatile int replicaAnnouncePort = 0;
    public volatile int replicaPriority = 100;
    public volatile boolean replicaAnnounced = true;
    public volatile long replBacklogSize = 1024 * 1024;
    public volatile long replBacklogTtl = 3600;
    public volatile boolean replDisklessSync = true;
    public volatile int replDisklessSyncDelay = 5;
    public volatile int replPingReplicaPeriod = 10;
    public volatile int replTimeout = 60;
    public volatile int minReplicasToWrite = 0;
    public volatile int minReplicasMaxLag = 10;

    // ---------------------------------------------------------------- collection encodings
    public volatile int hashMaxListpackEntries = 512;
    public volatile int hashMaxListpackValue = 64;
    public volatile long streamNodeMaxEntries = 100;
    public volatile long streamNodeMaxBytes = 4096;
    public volatile int setMaxIntsetEntries = 512;
    public volatile int zsetMaxListpackEntries = 128;
    public volatile int zsetMaxListpackValue = 64;
    public volatile int listMaxListpackSize = -2;
    public volatile int listCompressDepth = 0;
    /** Above this many bytes a sparse HyperLogLog becomes dense (Redis's hll-sparse-max-bytes). */
    public volatile long hllSparseMaxBytes = 3000;

    // ---------------------------------------------------------------- persistence (used by later subsystems)
    public volatile String dir = Path.of("").toAbsolutePath().toString();
    public volatile String dbfilename = "dump.rdb";
    public volatile String save = "3600 1 300 100 60 10000";
    public volatile boolean rdbcompression = true;
    public volatile boolean rdbchecksum = true;
    public volatile boolean stopWritesOnBgsaveError = true;
    public volatile boolean appendonly = false;
    public volatile String appendfilename = "appendonly.aof";
    public volatile String appenddirname = "appendonlydir";
    public volatile String appendfsync = "everysec";
    public volatile boolean aofUseRdbPreamble = true;
    public volatile boolean aofLoadTruncated = true;
    public volatile long autoAofRewritePercentage = 100;
    public volatile long autoAofRewriteMinSize = 64L * 1024 * 1024;

    private final Map<String, ConfigParameter> parameters = new LinkedHashMap<>();
    private final Map<String, List<Consumer<NodeConfig>>> listeners = new LinkedHashMap<>();

    public NodeConfig() {
        register();
        addStoredParameters();
    }

    /**
     * Redis 7.0's parameters the node does not implement itself ({@link RedisParameterTable}): accepted,
     * validated by type and reported with Redis's default, so any redis.conf loads.
     */
    private void addStoredParameters() {
        for (RedisParameterTable.Spec spec : RedisParameterTable.standard()) {
            if (parameters.containsKey(spec.name())) {
                continue;
            }
            if (spec.canonical() != null) {
                alias(spec.name(), spec.canonical());
            } else {
                StoredParameter stored = new StoredParameter(spec);
                add(spec.name(), spec.mutable(), stored::get, stored);
            }
        }
    }

    private void register() {
        add("bind", true, () -> String.join(" ", bind), v -> {
            List<String> addrs = Arrays.stream(v.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (addrs.isEmpty()) {
                throw new ConfigException("Too many bind addresses specified.");
            }
            bind = addrs;
        });
        add("port", true, () -> Integer.toString(port), v -> port = (int) ConfigValues.integer(v, 0, 65535));
        add("protected-mode", true, () -> ConfigValues.yesNo(protectedMode), v -> protectedMode = ConfigValues.bool(v));
        add("tcp-backlog", false, () -> Integer.toString(tcpBacklog), v -> tcpBacklog = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("timeout", true, () -> Long.toString(timeoutSeconds), v -> timeoutSeconds = ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("tcp-keepalive", true, () -> Long.toString(tcpKeepalive), v -> tcpKeepalive = ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("requirepass", true, () -> requirepass, v -> requirepass = v);
        add("maxclients", true, () -> Long.toString(maxclients), v -> maxclients = ConfigValues.integer(v, 1, Integer.MAX_VALUE));
        add("proto-max-bulk-len", true, () -> Long.toString(protoMaxBulkLen), v -> protoMaxBulkLen = ConfigValues.memory(v, 1024 * 1024, Long.MAX_VALUE));
        add("client-query-buffer-limit", true, () -> Long.toString(clientQueryBufferLimit), v -> clientQueryBufferLimit = ConfigValues.memory(v, 1024 * 1024, Long.MAX_VALUE));
        add("client-output-buffer-limit", true, this::outputLimits, this::setOutputLimits);
        add("databases", false, () -> Integer.toString(databases), v -> databases = (int) ConfigValues.integer(v, 1, Integer.MAX_VALUE));
        add("hz", true, () -> Integer.toString(hz), v -> hz = (int) Math.min(500, Math.max(1, ConfigValues.integer(v, 0, Integer.MAX_VALUE))));
        add("dynamic-hz", true, () -> ConfigValues.yesNo(dynamicHz), v -> dynamicHz = ConfigValues.bool(v));
        add("active-expire-effort", true, () -> Integer.toString(activeExpireEffort), v -> activeExpireEffort = (int) ConfigValues.integer(v, 1, 10));
        add("slowlog-log-slower-than", true, () -> Long.toString(slowlogLogSlowerThan), v -> slowlogLogSlowerThan = ConfigValues.integer(v, -1, Long.MAX_VALUE));
        add("slowlog-max-len", true, () -> Long.toString(slowlogMaxLen), v -> slowlogMaxLen = ConfigValues.integer(v, 0, Long.MAX_VALUE));
        add("latency-monitor-threshold", true, () -> Long.toString(latencyMonitorThreshold), v -> latencyMonitorThreshold = ConfigValues.integer(v, 0, Long.MAX_VALUE));
        add("latency-tracking", true, () -> ConfigValues.yesNo(latencyTracking), v -> latencyTracking = ConfigValues.bool(v));
        add("latency-tracking-info-percentiles", true, () -> LatencyPercentiles.format(latencyTrackingInfoPercentiles),
                v -> latencyTrackingInfoPercentiles = LatencyPercentiles.parse(v));
        // scripting
        add("busy-reply-threshold", true, () -> Long.toString(busyReplyThresholdMillis),
                v -> busyReplyThresholdMillis = ConfigValues.integer(v, 0, Long.MAX_VALUE));
        alias("lua-time-limit", "busy-reply-threshold");
        add("loglevel", true, () -> loglevel, v -> loglevel = ConfigValues.oneOf(v, "debug", "verbose", "notice", "warning", "nothing"));
        add("logfile", false, () -> logfile, v -> logfile = v);
        add("pidfile", false, () -> pidfile, v -> pidfile = v);
        add("daemonize", false, () -> "no", v -> {
            if (ConfigValues.bool(v)) {
                throw new ConfigException("daemonize is not supported: run Rookery under a process supervisor");
            }
        });
        add("notify-keyspace-events", true, () -> notifyKeyspaceEvents, v -> notifyKeyspaceEvents = KeyspaceEventFlags.normalize(v));
        add("maxmemory", true, () -> Long.toString(maxmemory), v -> maxmemory = ConfigValues.memory(v, 0, Long.MAX_VALUE));
        add("maxmemory-policy", true, () -> maxmemoryPolicy.wireName(), v -> maxmemoryPolicy = EvictionPolicy.valueOf(
                ConfigValues.oneOf(v, "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru",
                        "allkeys-lfu", "allkeys-random", "noeviction").toUpperCase(Locale.ROOT).replace('-', '_')));
        add("maxmemory-samples", true, () -> Integer.toString(maxmemorySamples), v -> maxmemorySamples = (int) ConfigValues.integer(v, 1, 64));
        add("lfu-log-factor", true, () -> Integer.toString(lfuLogFactor), v -> lfuLogFactor = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("lfu-decay-time", true, () -> Integer.toString(lfuDecayTime), v -> lfuDecayTime = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("replicaof", true, () -> replicaof, v -> {
            String t = v.trim();
            if (!t.isEmpty() && !t.equalsIgnoreCase("no one") && t.split("\\s+").length != 2) {
                throw new ConfigException("wrong number of arguments");
            }
            replicaof = t.equalsIgnoreCase("no one") ? "" : t;
        });
        alias("slaveof", "replicaof");
        add("masterauth", true, () -> masterauth, v -> masterauth = v);
        add("masteruser", true, () -> masteruser, v -> masteruser = v);
        add("replica-read-only", true, () -> ConfigValues.yesNo(replicaReadOnly), v -> replicaReadOnly = ConfigValues.bool(v));
        alias("slave-read-only", "replica-read-only");
        add("replica-serve-stale-data", true, () -> ConfigValues.yesNo(replicaServeStaleData), v -> replicaServeStaleData = ConfigValues.bool(v));
        alias("slave-serve-stale-data", "replica-serve-stale-data");
        add("replica-announce-ip", true, () -> replicaAnnounceIp, v -> replicaAnnounceIp = v);
        alias("slave-announce-ip", "replica-announce-ip");
        add("replica-announce-port", true, () -> Integer.toString(replicaAnnouncePort), v -> replicaAnnouncePort = (int) ConfigValues.integer(v, 0, 65535));
        alias("slave-announce-port", "replica-announce-port");
        add("replica-priority", true, () -> Integer.toString(replicaPriority), v -> replicaPriority = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("slave-priority", "replica-priority");
        add("replica-announced", true, () -> ConfigValues.yesNo(replicaAnnounced), v -> replicaAnnounced = ConfigValues.bool(v));
        add("repl-backlog-size", true, () -> Long.toString(replBacklogSize), v -> replBacklogSize = ConfigValues.memory(v, 1, Long.MAX_VALUE));
        add("repl-backlog-ttl", true, () -> Long.toString(replBacklogTtl), v -> replBacklogTtl = ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("repl-diskless-sync", true, () -> ConfigValues.yesNo(replDisklessSync), v -> replDisklessSync = ConfigValues.bool(v));
        add("repl-diskless-sync-delay", true, () -> Integer.toString(replDisklessSyncDelay), v -> replDisklessSyncDelay = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("repl-ping-replica-period", true, () -> Integer.toString(replPingReplicaPeriod), v -> replPingReplicaPeriod = (int) ConfigValues.integer(v, 1, Integer.MAX_VALUE));
        alias("repl-ping-slave-period", "repl-ping-replica-period");
        add("repl-timeout", true, () -> Integer.toString(replTimeout), v -> replTimeout = (int) ConfigValues.integer(v, 1, Integer.MAX_VALUE));
        add("min-replicas-to-write", true, () -> Integer.toString(minReplicasToWrite), v -> minReplicasToWrite = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("min-slaves-to-write", "min-replicas-to-write");
        add("min-replicas-max-lag", true, () -> Integer.toString(minReplicasMaxLag), v -> minReplicasMaxLag = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("min-slaves-max-lag", "min-replicas-max-lag");
        add("hash-max-listpack-entries", true, () -> Integer.toString(hashMaxListpackEntries),
                v -> hashMaxListpackEntries = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("hash-max-ziplist-entries", "hash-max-listpack-entries");
        add("hash-max-listpack-value", true, () -> Integer.toString(hashMaxListpackValue),
                v -> hashMaxListpackValue = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("hash-max-ziplist-value", "hash-max-listpack-value");
        add("stream-node-max-entries", true, () -> Long.toString(streamNodeMaxEntries),
                v -> streamNodeMaxEntries = ConfigValues.integer(v, 0, Long.MAX_VALUE));
        add("stream-node-max-bytes", true, () -> Long.toString(streamNodeMaxBytes),
                v -> streamNodeMaxBytes = ConfigValues.memory(v, 0, Long.MAX_VALUE));
        add("set-max-intset-entries", true, () -> Integer.toString(setMaxIntsetEntries),
                v -> setMaxIntsetEntries = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("zset-max-listpack-entries", true, () -> Integer.toString(zsetMaxListpackEntries),
                v -> zsetMaxListpackEntries = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("zset-max-ziplist-entries", "zset-max-listpack-entries");
        add("zset-max-listpack-value", true, () -> Integer.toString(zsetMaxListpackValue),
                v -> zsetMaxListpackValue = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        alias("zset-max-ziplist-value", "zset-max-listpack-value");
        add("list-max-listpack-size", true, () -> Integer.toString(listMaxListpackSize),
                v -> listMaxListpackSize = (int) ConfigValues.integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
        alias("list-max-ziplist-size", "list-max-listpack-size");
        add("list-compress-depth", true, () -> Integer.toString(listCompressDepth),
                v -> listCompressDepth = (int) ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("hll-sparse-max-bytes", true, () -> Long.toString(hllSparseMaxBytes),
                v -> hllSparseMaxBytes = ConfigValues.memory(v, 0, Long.MAX_VALUE));
        add("dir", true, () -> dir, v -> {
            Path p = Path.of(v).toAbsolutePath().normalize();
            if (!p.toFile().isDirectory()) {
                throw new ConfigException("No such file or directory");
            }
            dir = p.toString();
        });
        add("dbfilename", true, () -> dbfilename, v -> {
            if (v.contains("/")) {
                throw new ConfigException("dbfilename can't be a path, just a filename");
            }
            dbfilename = v;
        });
        add("save", true, () -> save, v -> save = SaveRules.parse(v).toString());
        add("rdbcompression", true, () -> ConfigValues.yesNo(rdbcompression), v -> rdbcompression = ConfigValues.bool(v));
        add("stop-writes-on-bgsave-error", true, () -> ConfigValues.yesNo(stopWritesOnBgsaveError),
                v -> stopWritesOnBgsaveError = ConfigValues.bool(v));
        add("rdbchecksum", true, () -> ConfigValues.yesNo(rdbchecksum), v -> rdbchecksum = ConfigValues.bool(v));
        add("appendonly", true, () -> ConfigValues.yesNo(appendonly), v -> appendonly = ConfigValues.bool(v));
        add("appendfilename", false, () -> appendfilename, v -> appendfilename = v);
        add("appenddirname", false, () -> appenddirname, v -> appenddirname = v);
        add("appendfsync", true, () -> appendfsync, v -> appendfsync = ConfigValues.oneOf(v, "always", "everysec", "no"));
        add("aof-use-rdb-preamble", true, () -> ConfigValues.yesNo(aofUseRdbPreamble), v -> aofUseRdbPreamble = ConfigValues.bool(v));
        add("aof-load-truncated", true, () -> ConfigValues.yesNo(aofLoadTruncated), v -> aofLoadTruncated = ConfigValues.bool(v));
        add("auto-aof-rewrite-percentage", true, () -> Long.toString(autoAofRewritePercentage),
                v -> autoAofRewritePercentage = ConfigValues.integer(v, 0, Integer.MAX_VALUE));
        add("auto-aof-rewrite-min-size", true, () -> Long.toString(autoAofRewriteMinSize),
                v -> autoAofRewriteMinSize = ConfigValues.memory(v, 0, Long.MAX_VALUE));
    }

    private void add(String name, boolean mutable, java.util.function.Supplier<String> getter, ConfigParameter.Setter setter) {
        parameters.put(name, new ConfigParameter(name, List.of(), getter, setter, mutable));
    }

    /** Registers {@code alias} as another name of {@code canonical} (Redis's old ziplist names). */
    private void alias(String alias, String canonical) {
        ConfigParameter c = parameters.get(canonical);
        parameters.put(alias, new ConfigParameter(alias, List.of(canonical), c::get, c::load, c.mutable()));
    }

    private String outputLimits() {
        return "normal " + limitText(outputLimitNormal) + " slave " + limitText(outputLimitReplica)
                + " pubsub " + limitText(outputLimitPubsub);
    }

    private static String limitText(OutputBufferLimit l) {
        return l.hardBytes() + " " + l.softBytes() + " " + l.softSeconds();
    }

    private void setOutputLimits(String v) throws ConfigException {
        String[] f = v.trim().split("\\s+");
        if (f.length % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        OutputBufferLimit normal = outputLimitNormal;
        OutputBufferLimit replica = outputLimitReplica;
        OutputBufferLimit pubsub = outputLimitPubsub;
        for (int i = 0; i < f.length; i += 4) {
            long hard = ConfigValues.parseMemory(f[i + 1]);
            long soft = ConfigValues.parseMemory(f[i + 2]);
            long secs;
            try {
                secs = Long.parseLong(f[i + 3]);
            } catch (NumberFormatException e) {
                secs = -1;
            }
            if (hard < 0 || soft < 0 || secs < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            OutputBufferLimit limit = new OutputBufferLimit(hard, soft, secs);
            switch (f[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> normal = limit;
                case "slave", "replica" -> replica = limit;
                case "pubsub" -> pubsub = limit;
                default -> throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
        }
        outputLimitNormal = normal;
        outputLimitReplica = replica;
        outputLimitPubsub = pubsub;
    }

    // ---------------------------------------------------------------- access

    public ConfigParameter parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<ConfigParameter> parameters() {
        return parameters.values();
    }

    /** Loads a value at start-up; immutable parameters are allowed. */
    public void load(String name, String value) throws ConfigException {
        ConfigParameter p = parameter(name);
        if (p == null) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        p.load(value);
        fire(p.name());
    }

    /**
     * CONFIG SET of several parameters at once, all or nothing: on any failure the ones already
     * applied get their previous values back.
     *
     * @throws ConfigException whose message is Redis's full error text after "ERR "
     */
    public void set(Map<String, String> values) throws ConfigException {
        List<Map.Entry<ConfigParameter, String>> applied = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            ConfigParameter p = parameter(e.getKey());
            String previous = p.get();
            try {
                p.set(e.getValue());
                applied.add(Map.entry(p, previous));
                fire(p.name());
            } catch (ConfigException | RuntimeException ex) {
                for (Map.Entry<ConfigParameter, String> undo : applied) {
                    try {
                        undo.getKey().load(undo.getValue());
                        fire(undo.getKey().name());
                    } catch (ConfigException | RuntimeException ignored) {
                        // the previous value was valid once; nothing better to do
                    }
                }
                if (!ex.getMessage().startsWith("can't set immutable")) {
                    try {
                        p.load(previous);
                    } catch (ConfigException ignored) {
                        // previous value was accepted before
                    }
                }
                throw new ConfigException("CONFIG SET failed (possibly related to argument '" + e.getKey() + "') - " + ex.getMessage());
            }
        }
    }

    /** Runs {@code listener} after {@code name} changes; it may throw IllegalStateException to veto. */
    public void onChange(String name, Consumer<NodeConfig> listener) {
        listeners.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    private void fire(String name) {
        List<Consumer<NodeConfig>> ls = listeners.get(name);
        if (ls != null) {
            for (Consumer<NodeConfig> l : ls) {
                l.accept(this);
            }
        }
    }

    /** The limit for a client class: "normal", "replica" or "pubsub". */
    public OutputBufferLimit outputLimit(String clientClass) {
        return switch (clientClass) {
            case "replica" -> outputLimitReplica;
            case "pubsub" -> outputLimitPubsub;
            default -> outputLimitNormal;
        };
    }
}
