package io.rookery.node.cluster;

import io.rookery.node.keyspace.SlotKeyIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode of a node: its view of the cluster ({@link ClusterState}), the config file that keeps
 * that view across restarts, the settings, and the index of keys by slot. Commands and the gate's
 * slot stage work through it; it exists only when {@code cluster-enabled yes}.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final ClusterSettings settings;
    private final ClusterState state;
    private final NodesConfFile file;
    private final SlotKeyIndex keysBySlot;
    private final LongSupplier replicationOffset;
    private final ClusterStats stats = new ClusterStats();

    private Cluster(ClusterSettings settings, ClusterState state, NodesConfFile file, SlotKeyIndex keysBySlot,
            LongSupplier replicationOffset) {
        this.settings = settings;
        this.state = state;
        this.file = file;
        this.keysBySlot = keysBySlot;
        this.replicationOffset = replicationOffset;
    }

    /**
     * Opens (and locks) the config file in {@code dir}, loads the cluster view it holds or starts a new
     * one, announces this node's ports, and writes the file back, as Redis's {@code clusterInit}.
     */
    public static Cluster start(ClusterSettings settings, Path dir, SlotKeyIndex keysBySlot, LongSupplier replicationOffset,
            long now) throws ClusterConfigException {
        NodesConfFile file = NodesConfFile.open(dir.resolve(settings.configFile()));
        ClusterState state = file.load(now);
        if (state == null) {
            state = ClusterState.fresh(now);
            LOG.info("No cluster configuration found, I'm {}", state.myself().name());
        }
        Cluster cluster = new Cluster(settings, state, file, keysBySlot, replicationOffset);
        cluster.announceMyself();
        state.updateState(settings.requireFullCoverage());
        try {
            file.save(state);
        } catch (IOException e) {
            throw new ClusterConfigException("Unable to write the cluster config file " + file.path() + ": " + e.getMessage());
        }
        return cluster;
    }

    /** Myself as other nodes must see it: announced ip, ports and hostname. */
    void announceMyself() {
        ClusterNode me = state.myself();
        me.port = settings.announcedPort();
        me.cport = settings.announcedBusPort();
        me.hostname = settings.announceHostname();
        if (!settings.announceIp().isEmpty()) {
            me.ip = settings.announceIp();
        }
    }

    /**
     * The client port is known once the node listens (port 0 picks one): announce it, and the bus port
     * derived from it, and keep them in the config file.
     */
    public void portsBound() {
        announceMyself();
        saveOrDie();
    }

    public ClusterState state() {
        return state;
    }

    public ClusterSettings settings() {
        return settings;
    }

    public SlotKeyIndex keysBySlot() {
        return keysBySlot;
    }

    public ClusterStats stats() {
        return stats;
    }

    /** This node's replication offset (CLUSTER SHARDS, the bus header). */
    long myReplicationOffset() {
        return replicationOffset.getAsLong();
    }

    /** Recomputes ok/fail after a change of slots or node health. */
    void updateState() {
        state.updateState(settings.requireFullCoverage());
    }

    /**
     * Writes the config file now. A node that cannot keep its cluster config must not go on (Redis's
     * {@code clusterSaveConfigOrDie}): the caller turns the failure into an exit.
     */
    void save() throws IOException {
        file.save(state);
    }

    /** Saves, or stops the process when the file cannot be written, as Redis does. */
    void saveOrDie() {
        try {
            save();
        } catch (IOException e) {
            LOG.error("Fatal: can't update cluster config file.", e);
            Runtime.getRuntime().halt(1);
        }
    }

    /** Releases the config file (its lock) for the next node. */
    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("could not release the cluster config file lock", e);
        }
    }
}
