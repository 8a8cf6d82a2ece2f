package io.rookery.node.cluster;

import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only views of the cluster in Redis 7.0's reply shapes: CLUSTER INFO, SLOTS, SHARDS and
 * REPLICAS (CLUSTER NODES is {@link NodesDescription}).
 */
final class ClusterReplies {
    private final Cluster cluster;

    ClusterReplies(Cluster cluster) {
        this.cluster = cluster;
    }

    String info() {
        ClusterState s = cluster.state();
        int assigned = 0;
        int pfail = 0;
        int fail = 0;
        for (int slot = 0; slot < ClusterState.SLOTS; slot++) {
            ClusterNode owner = s.owner(slot);
            if (owner == null) {
                continue;
            }
            assigned++;
            if (owner.has(ClusterNode.FAIL)) {
                fail++;
            } else if (owner.has(ClusterNode.PFAIL)) {
                pfail++;
            }
        }
        ClusterNode me = s.myself();
        long myEpoch = me.isReplica() && me.primary() != null ? me.primary().configEpoch() : me.configEpoch();
        StringBuilder b = new StringBuilder()
                .append("cluster_state:").append(s.ok() ? "ok" : "fail").append("\r\n")
                .append("cluster_slots_assigned:").append(assigned).append("\r\n")
                .append("cluster_slots_ok:").append(assigned - fail - pfail).append("\r\n")
                .append("cluster_slots_pfail:").append(pfail).append("\r\n")
                .append("cluster_slots_fail:").append(fail).append("\r\n")
                .append("cluster_known_nodes:").append(s.nodes().size()).append("\r\n")
                .append("cluster_size:").append(s.size()).append("\r\n")
                .append("cluster_current_epoch:").append(s.currentEpoch()).append("\r\n")
                .append("cluster_my_epoch:").append(myEpoch).append("\r\n");
        cluster.stats().appendTo(b);
        b.append("total_cluster_links_buffer_limit_exceeded:").append(cluster.stats().linksBufferLimitExceeded()).append("\r\n");
        return b.toString();
    }

    /** CLUSTER SLOTS: per contiguous range of one owner, the range, the owner, then its healthy replicas. */
    void slots(RespWriter r) {
        ClusterState s = cluster.state();
        List<Object[]> ranges = new ArrayList<>();
        int start = 0;
        for (int slot = 1; slot <= ClusterState.SLOTS; slot++) {
            if (slot == ClusterState.SLOTS || s.owner(slot) != s.owner(start)) {
                if (s.owner(start) != null) {
                    ranges.add(new Object[] {start, slot - 1, s.owner(start)});
                }
                start = slot;
            }
        }
        r.array(ranges.size());
        for (Object[] range : ranges) {
            ClusterNode owner = (ClusterNode) range[2];
            List<ClusterNode> replicas = owner.replicas().stream().filter(n -> !n.has(ClusterNode.FAIL)).toList();
            r.array(3 + replicas.size());
            r.integer((Integer) range[0]);
            r.integer((Integer) range[1]);
            endpoint(r, owner);
            for (ClusterNode replica : replicas) {
                endpoint(r, replica);
            }
        }
    }

    /** A node in CLUSTER SLOTS: preferred endpoint, port, id, and the other endpoints as a map. */
    private void endpoint(RespWriter r, ClusterNode n) {
        String type = cluster.settings().preferredEndpointType();
        r.array(4);
        if (type.equals("unknown-endpoint")) {
            r.nullBulk(); // CLUSTER SLOTS says null where MOVED and SHARDS say "?"
        } else {
            r.bulk(n.preferredEndpoint(type));
        }
        r.integer(n.port());
        r.bulk(n.name());
        boolean ip = !type.equals("ip");
        boolean hostname = !type.equals("hostname") && !n.hostname().isEmpty();
        r.map((ip ? 1 : 0) + (hostname ? 1 : 0));
        if (ip) {
            r.bulk("ip");
            r.bulk(n.ip());
        }
        if (hostname) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
    }

    private String preferredEndpoint(ClusterNode n) {
        return n.preferredEndpoint(cluster.settings().preferredEndpointType());
    }

    /** CLUSTER SHARDS: per primary (with its replicas), its slot ranges and each node's details. */
    void shards(RespWriter r) {
        ClusterState s = cluster.state();
        List<ClusterNode> primaries = s.nodes().stream().filter(n -> n.isPrimary()).toList();
        r.array(primaries.size());
        for (ClusterNode primary : primaries) {
            r.map(2);
            r.bulk("slots");
            List<int[]> ranges = NodesDescription.ownedRanges(s, primary);
            r.array(ranges.size() * 2L);
            for (int[] range : ranges) {
                r.integer(range[0]);
                r.integer(range[1]);
            }
            r.bulk("nodes");
            List<ClusterNode> members = new ArrayList<>();
            members.add(primary);
            members.addAll(primary.replicas());
            r.array(members.size());
            for (ClusterNode n : members) {
                shardNode(r, n);
            }
        }
    }

    private void shardNode(RespWriter r, ClusterNode n) {
        boolean hostname = !n.hostname().isEmpty();
        r.map(hostname ? 8 : 7);
        r.bulk("id");
        r.bulk(n.name());
        r.bulk("port");
        r.integer(n.port());
        r.bulk("ip");
        r.bulk(n.ip());
        r.bulk("endpoint");
        r.bulk(preferredEndpoint(n));
        if (hostname) {
            r.bulk("hostname");
            r.bulk(n.hostname());
        }
        long offset = n.isMyself() ? cluster.myReplicationOffset() : n.replOffset();
        r.bulk("role");
        r.bulk(n.isReplica() ? "replica" : "master");
        r.bulk("replication-offset");
        r.integer(offset);
        r.bulk("health");
        r.bulk(n.has(ClusterNode.FAIL) ? "fail" : n.isReplica() && offset == 0 ? "loading" : "online");
    }
}
