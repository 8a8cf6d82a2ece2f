package io.rookery.node.info;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Command;
import io.rookery.node.keyspace.Database;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO: sections in Redis's order with Redis's field names, so tools that parse INFO keep working.
 * Subsystems add or replace sections with {@link #section}. "INFO" alone prints the default
 * sections; "all" adds commandstats; "everything" too; names select sections.
 *
 * <p>Memory accounting: used_memory is the keyspace's estimate of its keys, values and expiry
 * entries (see MemoryEstimate) plus the node's baseline; used_memory_rss is the process's real
 * resident size; used_memory_heap is what the JVM heap holds, garbage included.
 */
public final class InfoReport {
    private static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");

    private final RookeryNode node;
    private final Map<String, InfoSection> sections = new LinkedHashMap<>();
    private long peakMemory;
    private final long baseline = 1024 * 1024;

    public InfoReport(RookeryNode node) {
        this.node = node;
        section("server", this::server);
        section("clients", this::clients);
        if (node.config().sentinelMode) { // redis-sentinel's INFO: server, clients, stats, cpu (+ sentinel)
            section("stats", this::stats);
            section("cpu", this::cpu);
            return;
        }
        section("memory", this::memory);
        section("persistence", this::persistence);
        section("stats", this::stats);
        section("replication", this::replication);
        section("cpu", this::cpu);
        section("modules", out -> { });
        section("errorstats", this::errorstats);
        section("cluster", out -> out.field("cluster_enabled", 0));
        section("keyspace", this::keyspace);
        section("commandstats", this::commandstats);
    }

    /** Adds or replaces a section (later subsystems own persistence, replication, cluster). */
    public void section(String name, InfoSection writer) {
        sections.put(name, writer);
    }

    /** Adds fields at the end of a section (a subsystem's own, e.g. scripting's lines in memory). */
    public void extend(String name, InfoSection more) {
        InfoSection base = sections.get(name);
        sections.put(name, base == null ? more : out -> {
            base.write(out);
            more.write(out);
        });
    }

    public long usedMemory() {
        long used = baseline + node.keyspace().memory();
        if (used > peakMemory) {
            peakMemory = used;
        }
        return used;
    }

    public String render(String... requested) {
        List<String> names = new ArrayList<>();
        if (requested.length == 0 || Arrays.asList(requested).contains("default")) {
            sections.keySet().stream().filter(s -> !NOT_DEFAULT.contains(s)).forEach(names::add);
        }
        for (String r : requested) {
            if (r.equals("all") || r.equals("everything")) {
                names = new ArrayList<>(sections.keySet());
                break;
            }
        }
        for (String r : requested) {
            if (sections.containsKey(r) && !names.contains(r)) {
                names.add(r);
            }
        }
        InfoWriter out = new InfoWriter();
        boolean first = true;
        for (String name : sections.keySet()) {
            if (!names.contains(name)) {
                continue;
            }
            if (!first) {
                out.blank();
            }
            first = false;
            out.header(title(name));
            sections.get(name).write(out);
        }
        return out.toString();
    }

    private static String title(String name) {
        return switch (name) {
            case "cpu" -> "CPU";
            case "errorstats" -> "Errorstats";
            case "commandstats" -> "Commandstats";
            default -> name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        };
    }

    private void server(InfoWriter out) {
        NodeConfig c = node.config();
        long uptime = (System.currentTimeMillis() - node.startMillis()) / 1000;
        out.field("redis_version", RookeryNode.REDIS_VERSION)
                .field("rookery_version", RookeryNode.VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", "0")
                .field("redis_mode", c.sentinelMode ? "sentinel" : "standalone")
                .field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .field("arch_bits", 64)
                .field("monotonic_clock", "POSIX clock_gettime")
                .field("multiplexing_api", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio")
                .field("atomicvar_api", "java")
                .field("java_version", System.getProperty("java.version"))
                .field("process_id", ProcessStats.pid())
                .field("process_supervised", "no")
                .field("run_id", node.runId())
                .field("tcp_port", node.port())
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
        out.field("connected_clients", node.clients().size())
                .field("cluster_connections", 0)
                .field("maxclients", node.config().maxclients)
                .field("client_recent_max_input_buffer", 0)
                .field("client_recent_max_output_buffer", 0)
                .field("blocked_clients", node.blocking().blockedCount())
                .field("tracking_clients", 0)
                .field("clients_in_timeout_table", 0);
    }

    private void memory(InfoWriter out) {
        long used = usedMemory();
        long rss = ProcessStats.rss();
        long total = ProcessStats.totalSystemMemory();
        NodeConfig c = node.config();
        long dataset = node.keyspace().memory();
        out.field("used_memory", used)
                .field("used_memory_human", InfoWriter.human(used))
                .field("used_memory_rss", rss)
                .field("used_memory_rss_human", InfoWriter.human(rss))
                .field("used_memory_peak", peakMemory)
                .field("used_memory_peak_human", InfoWriter.human(peakMemory))
                .field("used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", used * 100.0 / Math.max(1, peakMemory)))
                .field("used_memory_overhead", baseline)
                .field("used_memory_startup", baseline)
                .field("used_memory_dataset", dataset)
                .field("used_memory_dataset_perc", String.format(Locale.ROOT, "%.2f%%", dataset * 100.0 / Math.max(1, used)))
                .field("used_memory_heap", ProcessStats.heapUsed())
                .field("total_system_memory", total)
                .field("total_system_memory_human", InfoWriter.human(total))
                .field("maxmemory", c.maxmemory)
                .field("maxmemory_human", InfoWriter.human(c.maxmemory))
                .field("maxmemory_policy", c.maxmemoryPolicy.wireName())
                .field("mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", rss / (double) Math.max(1, used)))
                .field("mem_allocator", "jvm")
                .field("lazyfree_pending_objects", 0);
    }

    private void persistence(InfoWriter out) {
        node.persistence().info(out);
    }

    private void stats(InfoWriter out) {
        out.field("total_connections_received", node.clients().totalConnections())
                .field("total_commands_processed", node.dispatcher().commandsProcessed())
                .field("instantaneous_ops_per_sec", node.stats().opsPerSecond())
                .field("total_net_input_bytes", node.stats().netInputBytes)
                .field("total_net_output_bytes", node.stats().netOutputBytes)
                .field("rejected_connections", node.clients().rejectedConnections())
                .field("sync_full", node.replication().syncFull())
                .field("sync_partial_ok", node.replication().syncPartialOk())
                .field("sync_partial_err", node.replication().syncPartialErr())
                .field("expired_keys", node.keyspace().expiredKeys())
                .field("expired_stale_perc", String.format(Locale.ROOT, "%.2f", node.expireCycle().stalePercent()))
                .field("expired_time_cap_reached_count", node.expireCycle().timeCapReached())
                .field("expire_cycle_cpu_milliseconds", node.stats().expireCycleMillis())
                .field("evicted_keys", node.evictor().evictedKeys())
                .field("keyspace_hits", node.keyspace().hits())
                .field("keyspace_misses", node.keyspace().misses())
                .field("pubsub_channels", node.pubsub().channelCount())
                .field("pubsub_patterns", node.pubsub().patternCount())
                .field("latest_fork_usec", 0)
                .field("total_forks", 0)
                .field("total_error_replies", node.dispatcher().errorReplies());
    }

    private void replication(InfoWriter out) {
        node.replication().info(out);
    }

    private void cpu(InfoWriter out) {
        double[] cpu = ProcessStats.cpu();
        out.field("used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]))
                .field("used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]))
                .field("used_cpu_sys_children", "0.000000")
                .field("used_cpu_user_children", "0.000000");
    }

    private void errorstats(InfoWriter out) {
        node.dispatcher().errorStats().forEach((prefix, count) -> out.field("errorstat_" + prefix, "count=" + count[0]));
    }

    private void keyspace(InfoWriter out) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < node.keyspace().count(); i++) {
            Database db = node.keyspace().db(i);
            if (db.size() > 0) {
                out.field("db" + i, "keys=" + db.size() + ",expires=" + db.expiresSize() + ",avg_ttl=0");
            }
        }
    }

    private void commandstats(InfoWriter out) {
        for (Command c : node.registry().all()) {
            if (c.calls() == 0 && c.rejectedCalls() == 0 && c.failedCalls() == 0) {
                continue;
            }
            out.field("cmdstat_" + c.spec().name(), "calls=" + c.calls() + ",usec=" + c.micros()
                    + ",usec_per_call=" + String.format(Locale.ROOT, "%.2f", c.calls() == 0 ? 0.0 : c.micros() / (double) c.calls())
                    + ",rejected_calls=" + c.rejectedCalls() + ",failed_calls=" + c.failedCalls());
        }
    }
}
