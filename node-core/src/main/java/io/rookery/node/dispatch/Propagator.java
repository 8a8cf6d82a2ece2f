package io.rookery.node.dispatch;

/**
 * Receives the effects of writes as commands to replay, in order (the AOF now; replicas later).
 * Each call to {@link #propagate} is one atomic unit: a single command, or several that must be
 * applied together (MULTI ... EXEC is added by the receiver when the unit holds more than one).
 */
@FunctionalInterface
public interface Propagator {
    void propagate(java.util.List<Propagation.Op> unit);

    /** {@link #target()} of the append-only file. */
    int AOF = 1;
    /** {@link #target()} of the replication stream. */
    int REPLICAS = 2;

    /**
     * Which kind of receiver this is ({@link #AOF} or {@link #REPLICAS}): a script's redis.set_repl
     * sends its writes to some kinds only.
     */
    default int target() {
        return AOF | REPLICAS;
    }

    /** Whether it records anything now (an AOF that is open, a primary with a backlog); others cost nothing. */
    default boolean wantsUnits() {
        return true;
    }
}
