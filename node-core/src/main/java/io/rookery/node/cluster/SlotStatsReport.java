package io.rookery.node.cluster;

import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.MemoryEstimate;
import io.rookery.node.keyspace.SlotKeyIndex;
import java.util.Locale;

/**
 * Reads one slot's figures for CLUSTER SLOT-STATS and the metrics endpoint: the key count from the
 * slot index, cpu and network from {@link SlotStats}, and the memory the slot's keys take, summed from
 * the same per-key estimate MEMORY USAGE replies (key, value, table entry and expiry). Memory costs the
 * number of keys in the slot, so it is summed only for the slots a reader asks about. Command thread.
 */
public final class SlotStatsReport {
    /** The figures, under Valkey's names ({@code memory-bytes} is the name Redis 8 gives its per-slot memory). */
    public enum Metric {
        KEY_COUNT("key-count"),
        CPU_USEC("cpu-usec"),
        NETWORK_BYTES_IN("network-bytes-in"),
        NETWORK_BYTES_OUT("network-bytes-out"),
        MEMORY_BYTES("memory-bytes");

        private final String wireName;

        Metric(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The metric of that name (any case), or null. */
        static Metric named(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            for (Metric m : values()) {
                if (m.wireName.equals(n)) {
                    return m;
                }
            }
            return null;
        }
    }

    private final Cluster cluster;
    private final Database db;

    public SlotStatsReport(Cluster cluster, Database db) {
        this.cluster = cluster;
        this.db = db;
    }

    /** Whether cpu, network and memory are reported (cluster-slot-stats-enabled); key-count always is. */
    public boolean detailed() {
        return cluster.slotStats().enabled();
    }

    /**
     * True when the slot belongs to this node's shard: owned by this node, or by its primary when it
     * is a replica (Valkey reports the slots of the shard on every node of it).
     */
    public boolean inMyShard(int slot) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        ClusterNode primary = me.isReplica() && me.primary() != null ? me.primary() : me;
        return state.owner(slot) == primary;
    }

    public long value(int slot, Metric metric) {
        SlotStats stats = cluster.slotStats();
        return switch (metric) {
            case KEY_COUNT -> cluster.keysBySlot().count(slot);
            case CPU_USEC -> stats.cpuMicros(slot);
            case NETWORK_BYTES_IN -> stats.networkBytesIn(slot);
            case NETWORK_BYTES_OUT -> stats.networkBytesOut(slot);
            case MEMORY_BYTES -> memoryBytes(slot);
        };
    }

    /** The estimated bytes of the slot's keys with their values and expiries (the sum of their MEMORY USAGE). */
    public long memoryBytes(int slot) {
        SlotKeyIndex index = cluster.keysBySlot();
        if (index.count(slot) == 0) {
            return 0;
        }
        long[] sum = {0};
        index.forEachKey(slot, key -> {
            Dict.Entry e = db.storedEntry(key);
            if (e != null) {
                sum[0] += MemoryEstimate.entry(e.key(), e.value());
                if (db.expireAt(key) >= 0) {
                    sum[0] += MemoryEstimate.EXPIRE;
                }
            }
        });
        return sum[0];
    }
}
