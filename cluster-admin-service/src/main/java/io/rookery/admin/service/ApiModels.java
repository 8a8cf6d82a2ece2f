package io.rookery.admin.service;

import io.rookery.admin.cluster.HealthVerdict;
import io.rookery.admin.job.JobParams;
import io.rookery.admin.job.JobProgress;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.JobStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The REST side's request and response bodies (records serialise as they are). */
final class ApiModels {
    private ApiModels() {
    }

    /** How a job moves data; every field optional (defaults: no throttle, 1 slot at a time, 100 keys per MIGRATE). */
    record JobOptions(Long keysPerSecond, Long bytesPerSecond, Integer concurrency, Integer batchKeys,
                      Integer migrateTimeoutMillis, Boolean replace) {
        JobParams params() {
            return new JobParams(keysPerSecond == null ? 0 : keysPerSecond, bytesPerSecond == null ? 0 : bytesPerSecond,
                    concurrency == null ? 1 : concurrency, batchKeys == null ? JobParams.DEFAULT_BATCH_KEYS : batchKeys,
                    migrateTimeoutMillis == null ? 60_000 : migrateTimeoutMillis, replace != null && replace);
        }

        static JobParams of(JobOptions o) {
            return o == null ? JobParams.DEFAULTS : o.params();
        }
    }

    /** Register (adopt) an existing cluster by its seeds. */
    record RegisterRequest(String name, List<String> seeds, String user, String password) {
    }

    /** Create a cluster from empty nodes with {@code replicas} replicas per primary, and register it. */
    record CreateRequest(String name, List<String> nodes, Integer replicas, String user, String password,
                         JobOptions options) {
    }

    /**
     * Rebalance by slot count (redis-cli's weights, threshold, use-empty-masters) or, with {@code metric}
     * (KEYS, MEMORY_BYTES, CPU_USEC, NETWORK_BYTES...), by load.
     */
    record RebalanceRequest(Map<String, Double> weights, Double threshold, Boolean useEmptyPrimaries, String metric,
                            Integer maxSlotsMoved, Double tolerance, JobOptions options) {
    }

    /** Remove a node: a primary's slots spread over the others by {@code weights} first. */
    record RemoveNodeRequest(Map<String, Double> weights, JobOptions options) {
    }

    /** Fix open and uncovered slots; {@code withUnreachablePrimaries} is redis-cli's --cluster-fix-with-unreachable-masters. */
    record FixRequest(Boolean withUnreachablePrimaries, JobOptions options) {
    }

    /** Move {@code slots} slots from {@code from} (node ids, or ["all"]) to {@code to}; or the given {@code ranges}. */
    record ReshardRequest(Integer slots, List<String> from, String to, List<String> ranges, JobOptions options) {
    }

    /** Add the node at {@code address} as a primary, or as a replica of {@code primaryId} (or of the primary with fewest replicas). */
    record AddNodeRequest(String address, String role, String primaryId, JobOptions options) {
    }

    /** Fail over to {@code replicaId}, or to the best replica of {@code primaryId}; {@code mode} FORCE or TAKEOVER. */
    record FailoverRequest(String replicaId, String primaryId, String mode) {
    }

    record ClusterSummary(String name, List<String> seeds, String user, String password, Instant createdAt,
                          String leaseHolder) {
    }

    record NodeView(String id, String address, String role, String primaryId, List<String> flags, String linkState,
                    List<String> slots, int slotCount, Map<Integer, String> migrating, Map<Integer, String> importing,
                    long configEpoch, long replicationOffset, long usedMemory, long opsPerSecond, boolean reachable,
                    String error) {
    }

    record SlotOwnerRange(String range, int slots, String nodeId, String address) {
    }

    record TopologyView(String cluster, Instant readAt, HealthVerdict health, List<NodeView> nodes,
                        List<SlotOwnerRange> slotMap, Map<Integer, List<String>> openSlots, int coveredSlots,
                        List<String> uncoveredSlots) {
    }

    /** A dry run: the plan, the steps the executor would take, and the estimated time at the job's throttle. */
    record DryRun(Object plan, List<String> steps, long estimatedMillis, JobParams params) {
    }

    record JobView(long id, String cluster, String kind, String description, JobState state, JobParams params,
                   JobProgress progress, Instant createdAt, Instant startedAt, Instant finishedAt, String error,
                   boolean runningHere, Object plan, List<JobStep> steps, List<JobStore.LogLine> log) {
    }
}
