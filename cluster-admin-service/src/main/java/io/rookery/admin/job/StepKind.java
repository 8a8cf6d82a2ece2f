package io.rookery.admin.job;

/**
 * What one step of a job does. {@link #MOVE} steps are slot migrations and may run several at once;
 * every other kind runs alone, in order.
 */
public enum StepKind {
    /** CLUSTER MEET (host port bus-port in {@code arg}) sent to {@code nodeId}. */
    MEET,
    /** CLUSTER ADDSLOTSRANGE of {@code arg} (ranges "a-b,c") on {@code nodeId}, then SET-CONFIG-EPOCH {@code epoch}. */
    ADD_SLOTS,
    /** Waits until every node of the job knows every other (after meets), bounded. */
    AWAIT_JOINED,
    /** CLUSTER REPLICATE {@code peerId} sent to {@code nodeId}. */
    REPLICATE,
    /** A fix action ({@code arg} = the planner's FixAction name) on {@code nodeId} for {@code slot}, peer {@code peerId}. */
    FIX,
    /** Moves {@code slot} from {@code nodeId} (source) to {@code peerId} (target) in Redis's safe order. */
    MOVE,
    /** CLUSTER FORGET {@code nodeId} on every other node, then CLUSTER RESET SOFT on it. */
    FORGET,
    /** CLUSTER FAILOVER [{@code arg}] on replica {@code nodeId}, then waits until it is a primary. */
    FAILOVER,
    /** Waits until the cluster checks clean (all slots covered, nodes agree, nothing open), bounded. */
    AWAIT_CONSISTENT
}
