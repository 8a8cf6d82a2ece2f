package io.rookery.node.dispatch;

/**
 * Receives the effects of writes as commands to replay, in order (the AOF now; replicas later).
 * Each call to {@link #propagate} is one atomic unit: a single command, or several that must be
 * applied together (MULTI ... EXEC is added by the receiver when the unit holds more than one).
 */
@FunctionalInterface
public interface Propagator {
    void propagate(java.util.List<Propagation.Op> unit);

    /** Whether it records anything now (an AOF that is open, a primary with a backlog); others cost nothing. */
    default boolean wantsUnits() {
        return true;
    }

    /** Whether it also takes the commands meant for replicas only (PUBLISH); the AOF does not. */
    default boolean takesReplicasOnly() {
        return true;
    }
}
