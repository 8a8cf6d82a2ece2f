package io.rookery.admin.plan;

/** {@code CLUSTER REPLICATE primaryId} sent to {@code replicaId}, once both know each other (after the meets). */
public record ReplicaAssignment(String replicaId, String primaryId) {
}
