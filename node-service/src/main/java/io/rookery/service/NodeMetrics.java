package io.rookery.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rookery.node.RookeryNode;
import io.rookery.node.info.ProcessStats;
import io.rookery.node.status.NodeStatus;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Node metrics for Prometheus, read from counters the engine keeps anyway (INFO's), so the command
 * path pays nothing for them: commands by name (count and latency), connections, keys, expired keys,
 * memory (used, RSS and the maxmemory limit), persistence, replication (with the replica's link state),
 * network bytes. A scrape runs on another thread than the command
 * thread, so it reads only the immutable {@link NodeStatus} the node publishes (every cron run).
 */
@Component
class NodeMetrics implements MeterBinder {
    private final RookeryNode node;

    NodeMetrics(RookeryNode node) {
        this.node = node;
    }

    /** The status the command thread published last: the only thing a scrape reads. */
    private NodeStatus status() {
        return node.status();
    }

    /**
     * INFO's master_link_status as a number: 1 for "up", else 0. A primary has no link and reads 0, so
     * a rule about a broken link also asks {@code rookery_replication_is_replica == 1}.
     */
    private static int masterLinkUp(NodeStatus status) {
        return status.replication().replica() && "up".equals(status.replication().fields().get("master_link_status")) ? 1 : 0;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : status().commands().keySet()) {
            FunctionTimer.builder("rookery.commands", this, m -> m.status().command(name).calls(),
                            m -> m.status().command(name).micros(), TimeUnit.MICROSECONDS)
                    .description("Commands executed, by name, and their run time")
                    .tag("command", name)
                    .register(registry);
            FunctionCounter.builder("rookery.commands.failed", this, m -> m.status().command(name).failedCalls())
                    .description("Commands that replied with an error")
                    .tag("command", name)
                    .register(registry);
            FunctionCounter.builder("rookery.commands.rejected", this, m -> m.status().command(name).rejectedCalls())
                    .description("Commands refused by the gate (auth, arity, state)")
                    .tag("command", name)
                    .register(registry);
        }
        Gauge.builder("rookery.clients.connected", this, m -> m.status().connectedClients())
                .description("Open client connections").register(registry);
        FunctionCounter.builder("rookery.connections.received", this, m -> m.status().totalConnections())
                .description("Connections accepted since start").register(registry);
        for (int i = 0; i < status().keysPerDatabase().size(); i++) {
            int db = i;
            Gauge.builder("rookery.keys", this, m -> m.status().keysPerDatabase().get(db))
                    .description("Keys per database").tag("db", Integer.toString(db)).register(registry);
        }
        FunctionCounter.builder("rookery.keys.expired", this, m -> m.status().expiredKeys())
                .description("Keys removed because their time to live passed").register(registry);
        FunctionCounter.builder("rookery.keyspace.hits", this, m -> m.status().keyspaceHits()).register(registry);
        FunctionCounter.builder("rookery.keyspace.misses", this, m -> m.status().keyspaceMisses()).register(registry);
        Gauge.builder("rookery.memory.used", this, m -> m.status().usedMemory())
                .description("Estimated bytes of data (INFO used_memory)").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.memory.max", this, m -> m.node.config().maxmemory)
                .description("The configured maxmemory (INFO maxmemory), 0 when none is set").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.memory.rss", this, m -> ProcessStats.rss())
                .description("Resident set size of the process").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.persistence.changes", this, m -> m.status().persistence().changesSinceLastSave())
                .description("Writes since the last successful snapshot (rdb_changes_since_last_save)").register(registry);
        Gauge.builder("rookery.persistence.last.save", this, m -> m.status().persistence().lastSaveSeconds())
                .description("Unix time of the last successful snapshot").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.persistence.bgsave.in.progress", this, m -> m.status().persistence().bgsaveInProgress() ? 1 : 0)
                .register(registry);
        Gauge.builder("rookery.persistence.bgsave.failing", this, m -> m.status().persistence().refusesWrites() ? 1 : 0)
                .description("1 while writes are refused with MISCONF").register(registry);
        Gauge.builder("rookery.persistence.aof.size", this, m -> m.status().persistence().aofSize())
                .description("Bytes of the AOF files").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.persistence.aof.fsync.lag", this, m -> m.status().persistence().aofFsyncLagMillis())
                .description("How long written AOF data has waited for fsync").baseUnit("milliseconds").register(registry);
        Gauge.builder("rookery.persistence.last.bgsave.duration", this, m -> m.status().persistence().lastBgsaveSeconds())
                .description("Duration of the last background save").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.persistence.last.rewrite.duration", this, m -> m.status().persistence().lastRewriteSeconds())
                .description("Duration of the last AOF rewrite").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.replication.offset", this, m -> m.status().replication().offset())
                .description("master_repl_offset (slave_repl_offset on a replica)").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.replication.replicas", this, m -> m.status().replication().connectedReplicas())
                .description("Connected replicas").register(registry);
        Gauge.builder("rookery.replication.replica.lag.max", this, m -> m.status().replication().maxReplicaLagBytes())
                .description("Largest distance between our offset and a replica's acknowledged one").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.replication.is.replica", this, m -> m.status().replication().replica() ? 1 : 0).register(registry);
        Gauge.builder("rookery.replication.master.link.up", this, m -> masterLinkUp(m.status()))
                .description("1 while this replica's link to its primary is up (INFO master_link_status:up), 0 when it is"
                        + " down and on a primary").register(registry);
        FunctionCounter.builder("rookery.replication.sync.full", this, m -> m.status().replication().syncFull())
                .description("Full resynchronizations served").register(registry);
        FunctionCounter.builder("rookery.replication.sync.partial.ok", this, m -> m.status().replication().syncPartialOk())
                .description("Partial resynchronizations accepted").register(registry);
        FunctionCounter.builder("rookery.replication.sync.partial.err", this, m -> m.status().replication().syncPartialErr())
                .description("Partial resynchronizations refused").register(registry);
        Gauge.builder("rookery.replication.backlog.size", this, m -> m.status().replication().backlogSize())
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("rookery.keys.evicted", this, m -> m.status().evictedKeys())
                .description("Keys evicted by the maxmemory policy").register(registry);
        FunctionCounter.builder("rookery.net.input", this, m -> m.status().netInputBytes()).baseUnit("bytes").register(registry);
        FunctionCounter.builder("rookery.net.output", this, m -> m.status().netOutputBytes()).baseUnit("bytes").register(registry);
    }
}
