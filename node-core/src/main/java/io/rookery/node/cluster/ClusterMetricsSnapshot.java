package io.rookery.node.cluster;

import io.rookery.node.cluster.ClusterStats.Redirect;
import io.rookery.node.cluster.SlotStatsReport.Metric;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.cluster.bus.BusMessageType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster figures the metrics endpoint shows, taken on the command thread in one go and immutable
 * after, so a scrape on another thread reads a consistent picture: state, known nodes, slots by health,
 * epochs, failovers, bus messages by type, bus link errors, redirects by kind, and the load of every
 * slot of this node's shard that holds keys or saw commands ({@link SlotLoad}).
 *
 * @param ok            cluster_state:ok
 * @param slotsAssigned slots with an owner; {@code slotsOk + slotsPfail + slotsFail} of them
 * @param sent          bus messages sent, indexed by {@link BusMessageType#ordinal()}
 * @param received      bus messages received, by type
 * @param redirects     redirects replied, indexed by {@link Redirect#ordinal()}
 * @param slots         per-slot load, only slots with a non-zero figure (bounded by 16384 rows)
 */
public record ClusterMetricsSnapshot(boolean ok, int knownNodes, int size, int slotsAssigned, int slotsOk, int slotsPfail,
        int slotsFail, long currentEpoch, long myEpoch, long failovers, long[] sent, long[] received, long linkErrors,
        long[] redirects, boolean slotStatsEnabled, List<SlotLoad> slots) {

    /** One slot's figures; cpu, network and memory are zero when cluster-slot-stats-enabled is off. */
    public record SlotLoad(int slot, long keys, long cpuMicros, long networkBytesIn, long networkBytesOut, long memoryBytes) {
    }

    public long sent(BusMessageType type) {
        return sent[type.ordinal()];
    }

    public long received(BusMessageType type) {
        return received[type.ordinal()];
    }

    public long redirects(Redirect kind) {
        return redirects[kind.ordinal()];
    }

    /** Nothing known yet: what a reader shows before the first snapshot is taken. */
    public static ClusterMetricsSnapshot empty() {
        return new ClusterMetricsSnapshot(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, new long[BusMessageType.values().length],
                new long[BusMessageType.values().length], 0, new long[Redirect.values().length], false, List.of());
    }

    /** Takes the figures now; command thread only. */
    public static ClusterMetricsSnapshot take(Cluster cluster, Database db) {
        ClusterState s = cluster.state();
        int assigned = 0;
        int pfail = 0;
        int fail = 0;
        for (int slot = 0; slot < ClusterState.SLOTS; slot++) {
            ClusterNode owner = s.owner(slot);
            if (owner != null) {
                assigned++;
                if (owner.has(ClusterNode.FAIL)) {
                    fail++;
                } else if (owner.has(ClusterNode.PFAIL)) {
                    pfail++;
                }
            }
        }
        ClusterNode me = s.myself();
        long myEpoch = me.isReplica() && me.primary() != null ? me.primary().configEpoch() : me.configEpoch();
        ClusterStats stats = cluster.stats();
        long[] sent = new long[BusMessageType.values().length];
        long[] received = new long[sent.length];
        for (BusMessageType t : BusMessageType.values()) {
            sent[t.ordinal()] = stats.sentCount(t);
            received[t.ordinal()] = stats.receivedCount(t);
        }
        long[] redirects = new long[Redirect.values().length];
        for (Redirect r : Redirect.values()) {
            redirects[r.ordinal()] = stats.redirects(r);
        }
        SlotStatsReport report = new SlotStatsReport(cluster, db);
        boolean detailed = report.detailed();
        List<SlotLoad> loads = new ArrayList<>();
        for (int slot = 0; slot < ClusterState.SLOTS; slot++) {
            if (!report.inMyShard(slot)) {
                continue;
            }
            long keys = report.value(slot, Metric.KEY_COUNT);
            long cpu = detailed ? report.value(slot, Metric.CPU_USEC) : 0;
            long in = detailed ? report.value(slot, Metric.NETWORK_BYTES_IN) : 0;
            long out = detailed ? report.value(slot, Metric.NETWORK_BYTES_OUT) : 0;
            if (keys == 0 && cpu == 0 && in == 0 && out == 0) {
                continue;
            }
            long memory = detailed ? report.value(slot, Metric.MEMORY_BYTES) : 0;
            loads.add(new SlotLoad(slot, keys, cpu, in, out, memory));
        }
        return new ClusterMetricsSnapshot(s.ok(), s.nodes().size(), s.size(), assigned, assigned - pfail - fail, pfail, fail,
                s.currentEpoch(), myEpoch, stats.failovers(), sent, received, stats.linkErrors(), redirects, detailed,
                List.copyOf(loads));
    }

    @Override
    public String toString() {
        return "ClusterMetricsSnapshot[ok=" + ok + ", knownNodes=" + knownNodes + ", slots=" + slots.size()
                + ", sent=" + Arrays.toString(sent) + "]";
    }
}
