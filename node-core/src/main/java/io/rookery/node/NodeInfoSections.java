package io.rookery.node;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.info.InfoReport;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.info.MemoryUsage;
import io.rookery.node.info.ProcessStats;
import io.rookery.node.keyspace.ActiveExpireCycle;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.pubsub.PubSub;
import io.rookery.node.replication.Replication;
import java.util.Locale;

/**
 * The node's own INFO sections, in Redis's order with Redis's field names: server, clients, memory,
 * persistence, stats, replication, cpu, modules, errorstats, cluster, keyspace, commandstats. A
 * sentinel host has redis-sentinel's: server, clients, stats, cpu (the sentinel adds its own).
 */
final class NodeInfoSections {
    private final NodeConfig config;
    private final NodeProfile profile;
    private final NodeIdentity identity;
    private final NodeStats stats;
    private final MemoryUsage memory;
    private final Keyspace keyspace;
    private final ActiveExpireCycle expireCycle;
    private final Dispatcher dispatcher;
    private final ClientRegistry clients;
    private final Blocking blocking;
    private final PubSub pubsub;
    private final Evictor evictor;
    private final Persistence persistence;
    private final Replication replication;

    NodeInfoSections(NodeConfig config, NodeProfile profile, NodeIdentity identity, NodeStats stats,
                            MemoryUsage memory, Keyspace keyspace, ActiveExpireCycle expireCycle, Dispatcher dispatcher,
                            ClientRegistry clients, Blocking blocking, PubSub pubsub, Evictor evictor,
                            Persistence persistence, Replication replication) {
        this.config = config;
        this.profile = profile;
        this.identity = identity;
        this.stats = stats;
        this.memory = memory;
        this.keyspace = keyspace;
        this.expireCycle = expireCycle;
        this.dispatcher = dispatcher;
        this.clients = clients;
        this.blocking = blocking;
        this.pubsub = pubsub;
        this.evictor = evictor;
        this.persistence = persistence;
        this.replication = replication;
    }

    /** Registers the profile's sections with {@code report}, in Redis's order. */
    void registerWith(InfoReport report) {
        report.section("server", this::server);
        report.section("clients", this::clients);
        if (!profile.keepsDataset()) { // redis-sentinel's INFO: server, clients, stats, cpu (+ sentinel)
            report.section("stats", this::stats);
            report.section("cpu", this::cpu);
            return;
        }
        report.section("memory", this::memory);
        report.section("persistence", this::persistence);
        report.section("stats", this::stats);
        report.section("replication", this::replication);
        report.section("cpu", this::cpu);
        report.section("modules", out -> { });
        report.section("errorstats", this::errorstats);
        report.section("cluster", out -> out.field("cluster_enabled", config.parameter("cluster-enabled").get().equals("yes") ? 1 : 0));
        report.section("keyspace", this::keyspace);
        report.section("commandstats", this::commandstats);
    }

    private void server(InfoWriter out) {
        NodeConfig c = config;
        long uptime = (System.currentTimeMillis() - identity.startMillis()) / 1000;
        out.field("redis_version", NodeVersion.REDIS_VERSION)
                .field("rookery_version", NodeVersion.VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", "0")
                .field("redis_mode", profile.redisMode())
                .field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .field("arch_bits", 64)
                .field("monotonic_clock", "POSIX clock_gettime")
                .field("multiplexing_api", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio")
                .field("atomicvar_api", "java")
                .field("java_version", System.getProperty("java.version"))
                .field("process_id", ProcessStats.pid())
                .field("process_supervised", "no")
                .field("run_id", identity.runId())
                .field("tcp_port", identity.port())
                .field("server_time_usec", System.currentTimeMillis() * 1000)
                .field("uptime_in_seconds", uptime)
                .field("uptime_in_days", uptime / 86400)
                .field("hz", c.hz)
                .field("configured_hz", c.hz)
                .field("lru_clock", io.rookery.node.keyspace.AccessMeta.lruClock(System.currentTimeMillis()))
                .field("executable", "rookery")
                .field("config_file", c.configFile)
                .field("io_threads_active", 0);
    }

    private void clients(InfoWriter out) {
        out.field("connected_clients", clients.size())
                .field("cluster_connections", 0)
                .field("maxclients", config.maxclients)
                .field("client_recent_max_input_buffer", 0)
                .field("client_recent_max_output_buffer", 0)
                .field("blocked_clients", blocking.blockedCount())
                .field("clients_in_timeout_table", 0);
    }

    private void memory(InfoWriter out) {
        long used = memory.used();
        long rss = ProcessStats.rss();
        long total = ProcessStats.totalSystemMemory();
        NodeConfig c = config;
        long dataset = keyspace.memory();
        out.field("used_memory", used)
                .field("used_memory_human", InfoWriter.human(used))
                .field("used_memory_rss", rss)
                .field("used_memory_rss_human", InfoWriter.human(rss))
                .field("used_memory_peak", memory.peak())
                .field("used_memory_peak_human", InfoWriter.human(memory.peak()))
                .field("used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", used * 100.0 / Math.max(1, memory.peak())))
                .field("used_memory_overhead", memory.baseline())
                .field("used_memory_startup", memory.baseline())
                .field("used_memory_dataset", dataset)
                .field("used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%", dataset * 100.0 / Math.max(1, used)))
                .field("used_memory_heap", ProcessStats.heapUsed())
                .field("total_system_memory", total)
                .field("total_system_memory_human", InfoWriter.human(total))
                .field("maxmemory", c.maxmemory)
                .field("maxmemory_human", InfoWriter.human(c.maxmemory))
                .field("maxmemory_policy", c.maxmemoryPolicy.wireName())
                .field("mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", rss / (double) Math.max(1, used)))
                .field("mem_not_counted_for_evict", 0) // eviction counts all of used_memory
                .field("mem_allocator", "jvm")
                .field("lazyfree_pending_objects", 0)
                .field("lazyfreed_objects", keyspace.lazyfreedObjects());
    }

    private void persistence(InfoWriter out) {
        persistence.info(out);
    }

    private void stats(InfoWriter out) {
        out.field("total_connections_received", clients.totalConnections())
                .field("total_commands_processed", dispatcher.commandsProcessed())
                .field("instantaneous_ops_per_sec", stats.opsPerSecond())
                .field("total_net_input_bytes", stats.netInputBytes)
                .field("total_net_output_bytes", stats.netOutputBytes)
                .field("rejected_connections", clients.rejectedConnections())
                .field("sync_full", replication.syncFull())
                .field("sync_partial_ok", replication.syncPartialOk())
                .field("sync_partial_err", replication.syncPartialErr())
                .field("expired_keys", keyspace.expiredKeys())
                .field("expired_stale_perc", String.format(Locale.ROOT, "%.2f", expireCycle.stalePercent()))
                .field("expired_time_cap_reached_count", expireCycle.timeCapReached())
                .field("expire_cycle_cpu_milliseconds", stats.expireCycleMillis())
                .field("evicted_keys", evictor.evictedKeys())
                .field("keyspace_hits", keyspace.hits())
                .field("keyspace_misses", keyspace.misses())
                .field("pubsub_channels", pubsub.channelCount())
                .field("pubsub_patterns", pubsub.patternCount())
                .field("latest_fork_usec", 0)
                .field("total_forks", 0)
                .field("total_error_replies", dispatcher.errorReplies());
    }

    private void replication(InfoWriter out) {
        replication.info(out);
    }

    private void cpu(InfoWriter out) {
        double[] cpu = ProcessStats.cpu();
        out.field("used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]))
                .field("used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]))
                .field("used_cpu_sys_children", "0.000000")
                .field("used_cpu_user_children", "0.000000");
    }

    private void errorstats(InfoWriter out) {
        dispatcher.errorStats().forEach((prefix, count) -> out.field("errorstat_" + prefix, "count=" + count[0]));
    }

    private void keyspace(InfoWriter out) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < keyspace.count(); i++) {
            Database db = keyspace.db(i);
            if (db.size() > 0) {
                out.field("db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl=0");
            }
        }
    }

    private void commandstats(InfoWriter out) {
        for (Command c : dispatcher.registry().all()) {
            if (c.calls() == 0 && c.rejectedCalls() == 0 && c.failedCalls() == 0) {
                continue;
            }
            out.field("cmdstat_" + c.spec().name(), "calls=" + c.calls() + ",usec=" + c.micros()
                    + ",usec_per_call=" + String.format(Locale.ROOT, "%.2f", c.calls() == 0 ? 0.0 : c.micros() / (double) c.calls())
                    + ",rejected_calls=" + c.rejectedCalls() + ",failed_calls=" + c.failedCalls());
        }
    }
}
