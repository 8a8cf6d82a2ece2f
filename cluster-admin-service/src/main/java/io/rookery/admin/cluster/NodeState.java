package io.rookery.admin.cluster;

import java.util.List;
import java.util.Map;

/**
 * What the admin service read from one node: its own CLUSTER NODES line ({@code self}), its whole view
 * of the cluster (to tell whether nodes agree), CLUSTER INFO's state, and INFO's figures. A node that
 * could not be reached has only the entry others gave for it and {@code error} set.
 *
 * @param info INFO fields (replication, memory, stats, server), by Redis's names
 */
public record NodeState(ClusterNodeEntry self, List<ClusterNodeEntry> view, String clusterState,
                        Map<String, String> info, String error) {

    public boolean reached() {
        return error == null;
    }

    public String id() {
        return self.id();
    }

    public NodeAddress address() {
        return self.address();
    }

    public long infoLong(String field) {
        String v = info.get(field);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The replication offset: master_repl_offset on a primary, slave_repl_offset on a replica. */
    public long replicationOffset() {
        return self.replica() && info.containsKey("slave_repl_offset") ? infoLong("slave_repl_offset")
                : infoLong("master_repl_offset");
    }

    public long usedMemory() {
        return infoLong("used_memory");
    }

    public long opsPerSecond() {
        return infoLong("instantaneous_ops_per_sec");
    }
}
