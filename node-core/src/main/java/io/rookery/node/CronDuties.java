package io.rookery.node;

import io.rookery.node.client.Client;
import io.rookery.node.status.StatusBoard;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron's duties, in the order they run: end a CLIENT PAUSE whose time is up, the active expire
 * cycle, shrinking sparse tables, persistence (save points, AOF fsync and rewrite), replication (pings,
 * timeouts, WAIT), closing idle clients and those over their output limits, closing MIGRATE's idle
 * cached connections, the ops/sec sample, and
 * publishing the node's status for other threads.
 */
final class CronDuties {
    private static final Logger LOG = LoggerFactory.getLogger(CronDuties.class);
    private final NodeAssembly parts;
    private final OutputLimits outputLimits;
    private final StatusBoard status;

    CronDuties(NodeAssembly parts, OutputLimits outputLimits, StatusBoard status) {
        this.parts = parts;
        this.outputLimits = outputLimits;
        this.status = status;
    }

    List<NodeCron.Duty> all() {
        NodeStats stats = parts.stats();
        return List.of(
                new NodeCron.Duty("client pause", now -> parts.dispatcher().checkPause(now)),
                new NodeCron.Duty("active expire", now -> {
                    long t0 = System.nanoTime();
                    parts.expireCycle().run(now);
                    parts.dispatcher().propagation().flush();
                    long spent = System.nanoTime() - t0;
                    stats.expireCycleNanos += spent;
                    parts.dispatcher().latencyMonitor().sampleIfNeeded("expire-cycle", spent / 1_000_000);
                }),
                new NodeCron.Duty("shrink tables", now -> {
                    if (!parts.keyspace().snapshotRunning()) {
                        parts.keyspace().shrinkSparseTables(); // a resize mid-snapshot is safe, but there is no hurry
                    }
                }),
                new NodeCron.Duty("persistence", now -> parts.persistence().cron(now)),
                new NodeCron.Duty("replication", now -> parts.replication().cron(now)),
                new NodeCron.Duty("clients", this::closeIdleClients),
                new NodeCron.Duty("migrate connections", now -> parts.migrateConnections().closeIdle(now / 1000)),
                new NodeCron.Duty("stats", now -> stats.sample(parts.dispatcher().commandsProcessed(), now)),
                new NodeCron.Duty("status", now -> status.publish()));
    }

    /** Closes clients idle longer than {@code timeout} (not MONITORs, not paused ones) and those over their output limits. */
    private void closeIdleClients(long now) {
        long timeout = parts.config().timeoutSeconds;
        for (Client c : new ArrayList<>(parts.clients().all())) {
            if (timeout > 0 && !c.monitor && c.postponed == null && now - c.lastInteraction > timeout * 1000) {
                LOG.debug("Closing idle client {}", c.connection().remoteAddress());
                c.connection().close();
                continue;
            }
            c.queryBuffer.cronResize((now - c.lastInteraction) / 1000);
            outputLimits.check(c);
        }
    }
}
