package io.rookery.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rookery.node.RookeryNode;
import io.rookery.node.dispatch.Command;
import io.rookery.node.info.ProcessStats;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Node metrics for Prometheus, read from counters the engine keeps anyway (INFO's), so the command
 * path pays nothing for them: commands by name (count and latency), connections, keys, expired keys,
 * memory, network bytes.
 */
@Component
class NodeMetrics implements MeterBinder {
    private final RookeryNode node;

    NodeMetrics(RookeryNode node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Command c : node.registry().all()) {
            FunctionTimer.builder("rookery.commands", c, Command::calls, Command::micros, TimeUnit.MICROSECONDS)
                    .description("Commands executed, by name, and their run time")
                    .tag("command", c.spec().name())
                    .register(registry);
            FunctionCounter.builder("rookery.commands.failed", c, Command::failedCalls)
                    .description("Commands that replied with an error")
                    .tag("command", c.spec().name())
                    .register(registry);
            FunctionCounter.builder("rookery.commands.rejected", c, Command::rejectedCalls)
                    .description("Commands refused by the gate (auth, arity, state)")
                    .tag("command", c.spec().name())
                    .register(registry);
        }
        Gauge.builder("rookery.clients.connected", node, n -> n.clients().size())
                .description("Open client connections").register(registry);
        FunctionCounter.builder("rookery.connections.received", node, n -> n.clients().totalConnections())
                .description("Connections accepted since start").register(registry);
        for (int i = 0; i < node.keyspace().count(); i++) {
            int db = i;
            Gauge.builder("rookery.keys", node, n -> n.keyspace().db(db).size())
                    .description("Keys per database").tag("db", Integer.toString(db)).register(registry);
        }
        FunctionCounter.builder("rookery.keys.expired", node, n -> n.keyspace().expiredKeys())
                .description("Keys removed because their time to live passed").register(registry);
        FunctionCounter.builder("rookery.keyspace.hits", node, n -> n.keyspace().hits()).register(registry);
        FunctionCounter.builder("rookery.keyspace.misses", node, n -> n.keyspace().misses()).register(registry);
        Gauge.builder("rookery.memory.used", node, n -> n.info().usedMemory())
                .description("Estimated bytes of data (INFO used_memory)").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.memory.rss", node, n -> ProcessStats.rss())
                .description("Resident set size of the process").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.persistence.changes", node, n -> n.dispatcher().dirty())
                .description("Writes since the last successful snapshot (rdb_changes_since_last_save)").register(registry);
        Gauge.builder("rookery.persistence.last.save", node, n -> n.persistence().lastSaveSeconds())
                .description("Unix time of the last successful snapshot").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.persistence.bgsave.in.progress", node, n -> n.persistence().bgsaveInProgress() ? 1 : 0)
                .register(registry);
        Gauge.builder("rookery.persistence.bgsave.failing", node, n -> n.persistence().refusesWrites() ? 1 : 0)
                .description("1 while writes are refused with MISCONF").register(registry);
        Gauge.builder("rookery.persistence.aof.size", node, n -> n.persistence().aofSize())
                .description("Bytes of the AOF files").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.persistence.aof.fsync.lag", node, n -> n.persistence().aofFsyncLagMillis())
                .description("How long written AOF data has waited for fsync").baseUnit("milliseconds").register(registry);
        Gauge.builder("rookery.persistence.last.bgsave.duration", node, n -> n.persistence().lastBgsaveSeconds())
                .description("Duration of the last background save").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.persistence.last.rewrite.duration", node, n -> n.persistence().lastRewriteSeconds())
                .description("Duration of the last AOF rewrite").baseUnit("seconds").register(registry);
        Gauge.builder("rookery.replication.offset", node, n -> n.replication().offset())
                .description("master_repl_offset (slave_repl_offset on a replica)").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.replication.replicas", node, n -> n.replication().connectedReplicas())
                .description("Connected replicas").register(registry);
        Gauge.builder("rookery.replication.replica.lag.max", node, n -> n.replication().maxReplicaLagBytes())
                .description("Largest distance between our offset and a replica's acknowledged one").baseUnit("bytes").register(registry);
        Gauge.builder("rookery.replication.is.replica", node, n -> n.replication().isReplica() ? 1 : 0).register(registry);
        FunctionCounter.builder("rookery.replication.sync.full", node, n -> n.replication().syncFull())
                .description("Full resynchronizations served").register(registry);
        FunctionCounter.builder("rookery.replication.sync.partial.ok", node, n -> n.replication().syncPartialOk())
                .description("Partial resynchronizations accepted").register(registry);
        FunctionCounter.builder("rookery.replication.sync.partial.err", node, n -> n.replication().syncPartialErr())
                .description("Partial resynchronizations refused").register(registry);
        Gauge.builder("rookery.replication.backlog.size", node, n -> n.config().replBacklogSize)
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("rookery.keys.evicted", node, n -> n.evictor().evictedKeys())
                .description("Keys evicted by the maxmemory policy").register(registry);
        FunctionCounter.builder("rookery.net.input", node, n -> n.stats().netInputBytes).baseUnit("bytes").register(registry);
        FunctionCounter.builder("rookery.net.output", node, n -> n.stats().netOutputBytes).baseUnit("bytes").register(registry);
    }
}
