package io.rookery.node.status;

import java.util.Map;

/**
 * Replication state at one instant.
 *
 * @param replica            this node follows a primary (ROLE says "slave")
 * @param offset             master_repl_offset (the primary's offset on a replica)
 * @param connectedReplicas  replicas attached to this node
 * @param maxReplicaLagBytes largest distance between our offset and a replica's acknowledged one
 * @param backlogSize        repl-backlog-size
 * @param syncFull           full resynchronizations served
 * @param syncPartialOk      partial resynchronizations accepted
 * @param syncPartialErr     partial resynchronizations refused
 * @param fields             INFO replication's fields, in order
 */
public record ReplicationStatus(boolean replica, long offset, int connectedReplicas, long maxReplicaLagBytes,
                                long backlogSize, long syncFull, long syncPartialOk, long syncPartialErr,
                                Map<String, String> fields) {
    public ReplicationStatus {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** ROLE's first element: "master" or "slave". */
    public String role() {
        return replica ? "slave" : "master";
    }
}
