package io.rookery.sentinel;

/**
 * A replica or another sentinel as this sentinel sees it, for the REST API.
 *
 * @param name               "ip:port" for a replica, the run id for a sentinel
 * @param ip                 the announced address
 * @param port               the port
 * @param runId              the run id, empty until known
 * @param flags              Redis Sentinel's flag list ("slave,s_down", "sentinel")
 * @param lastOkPingReplyMs  milliseconds since the last acceptable PING answer
 * @param roleReported       "master" or "slave" for data nodes, null for sentinels
 * @param masterLinkStatus   "ok" or "err" for replicas, else null
 * @param replicaPriority    replica-priority from INFO (replicas)
 * @param replicationOffset  slave_repl_offset from INFO (replicas)
 * @param votedLeader        whom a sentinel voted for, or null
 * @param votedLeaderEpoch   the epoch of that vote
 */
public record InstanceView(String name, String ip, int port, String runId, String flags, long lastOkPingReplyMs,
                           String roleReported, String masterLinkStatus, int replicaPriority, long replicationOffset,
                           String votedLeader, long votedLeaderEpoch) {

    static InstanceView of(Sentinel s, Instance i) {
        long now = s.now();
        boolean replica = i.kind == Instance.Kind.REPLICA;
        boolean sentinel = i.kind == Instance.Kind.SENTINEL;
        return new InstanceView(i.name, i.addr.announced(s.announceHostnames), i.addr.port(),
                i.runId == null ? "" : i.runId, i.flagList(), now - i.link.lastAvailable,
                sentinel || i.roleReported == null ? null : i.roleReported == Instance.Kind.MASTER ? "master" : "slave",
                replica ? (i.replicaMasterLinkUp ? "ok" : "err") : null, i.replicaPriority, i.replicaOffset,
                sentinel ? i.leader : null, i.leaderEpoch);
    }
}
