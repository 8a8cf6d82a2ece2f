package io.rookery.node.status;

import io.rookery.node.NodeIdentity;
import io.rookery.node.NodeStats;
import io.rookery.node.client.ClientRegistry;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.info.InfoWriter;
import io.rookery.node.info.MemoryUsage;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.replication.Replication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the command thread publishes the node's {@link NodeStatus} (the cron every run, and on
 * demand), and where any other thread reads the latest one. Taking a status reads live structures and
 * so runs on the command thread only; reading {@link #latest} is safe anywhere.
 */
public final class StatusBoard {
    private final NodeConfig config;
    private final NodeIdentity identity;
    private final NodeStats stats;
    private final MemoryUsage memory;
    private final Keyspace keyspace;
    private final Dispatcher dispatcher;
    private final ClientRegistry clients;
    private final Evictor evictor;
    private final Persistence persistence;
    private final Replication replication;
    private volatile NodeStatus latest;

    public StatusBoard(NodeConfig config, NodeIdentity identity, NodeStats stats, MemoryUsage memory, Keyspace keyspace,
                       Dispatcher dispatcher, ClientRegistry clients, Evictor evictor, Persistence persistence,
                       Replication replication) {
        this.config = config;
        this.identity = identity;
        this.stats = stats;
        this.memory = memory;
        this.keyspace = keyspace;
        this.dispatcher = dispatcher;
        this.clients = clients;
        this.evictor = evictor;
        this.persistence = persistence;
        this.replication = replication;
    }

    /** The last published status; any thread. */
    public NodeStatus latest() {
        return latest;
    }

    /** Takes the status now and publishes it; command thread only (or before the node runs). */
    public NodeStatus publish() {
        long now = System.currentTimeMillis();
        List<Integer> keys = new ArrayList<>(keyspace.count());
        for (int i = 0; i < keyspace.count(); i++) {
            keys.add(keyspace.db(i).size());
        }
        Map<String, NodeStatus.CommandCounters> commands = new HashMap<>();
        for (Command c : dispatcher.registry().all()) {
            commands.put(c.spec().name(), new NodeStatus.CommandCounters(c.calls(), c.micros(), c.failedCalls(),
                    c.rejectedCalls()));
        }
        NodeStatus status = new NodeStatus(now, replication.isReplica() ? "slave" : "master", identity.port(),
                (now - identity.startMillis()) / 1000, clients.size(), clients.totalConnections(), keys,
                keyspace.expiredKeys(), evictor.evictedKeys(), keyspace.hits(), keyspace.misses(), memory.used(),
                stats.netInputBytes, stats.netOutputBytes, persistenceStatus(), replicationStatus(), commands);
        latest = status;
        return status;
    }

    private PersistenceStatus persistenceStatus() {
        return new PersistenceStatus(persistence.lastSaveSeconds(), persistence.bgsaveInProgress(),
                persistence.lastBgsaveOk(), persistence.lastError(), dispatcher.dirty(), config.save,
                persistence.file().toString(), persistence.aofOn(), config.appendfsync, persistence.aofSize(),
                persistence.aofRewriteInProgress(), persistence.aofFsyncLagMillis(), persistence.refusesWrites(),
                persistence.lastBgsaveSeconds(), persistence.lastRewriteSeconds());
    }

    private ReplicationStatus replicationStatus() {
        InfoWriter w = new InfoWriter();
        replication.info(w);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : w.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return new ReplicationStatus(replication.isReplica(), replication.offset(), replication.connectedReplicas(),
                replication.maxReplicaLagBytes(), config.replBacklogSize, replication.syncFull(),
                replication.syncPartialOk(), replication.syncPartialErr(), fields);
    }
}
