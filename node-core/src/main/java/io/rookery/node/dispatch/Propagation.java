package io.rookery.node.dispatch;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the commands one top-level command (or EXEC, or one cron pass) propagates, then hands them
 * to every {@link Propagator} as one unit. By default a write command propagates itself; a handler
 * whose effect must be replayed differently (relative expiries as absolute times, random pops as
 * removals, blocking pops as plain pops) calls {@link #replace} instead, as Redis's
 * rewriteClientCommandVector/alsoPropagate do.
 */
public final class Propagation {

    /**
     * One command to replay in database {@code db}; {@code replicasOnly} ones (PUBLISH) go to
     * replicas but not to the AOF, as Redis's PROPAGATE_REPL.
     */
    public record Op(int db, byte[][] args, boolean replicasOnly) {
        public Op(int db, byte[][] args) {
            this(db, args, false);
        }
    }

    private final List<Propagator> propagators = new ArrayList<>();
    private final List<Op> pending = new ArrayList<>();
    private boolean replaced;

    public void addPropagator(Propagator p) {
        propagators.add(p);
    }

    public void removePropagator(Propagator p) {
        propagators.remove(p);
    }

    public boolean active() {
        return !propagators.isEmpty();
    }

    /** Marks the start of a command: it will propagate itself unless its handler replaces it. */
    void beginCommand() {
        replaced = false;
    }

    boolean replacedByHandler() {
        return replaced;
    }

    /** Adds a command to the current unit (nothing is recorded while no propagator wants it). */
    public void add(int db, byte[]... args) {
        for (int i = 0; i < propagators.size(); i++) {
            if (propagators.get(i).wantsUnits()) {
                pending.add(new Op(db, args));
                return;
            }
        }
    }

    /** Adds a command for replicas only, not the AOF (PUBLISH, as Redis's forceCommandPropagation(PROPAGATE_REPL)). */
    public void addForReplicas(int db, byte[]... args) {
        for (int i = 0; i < propagators.size(); i++) {
            if (propagators.get(i).wantsUnits()) {
                pending.add(new Op(db, args, true));
                return;
            }
        }
    }

    /** Called by a handler: propagate {@code args} instead of the command itself (may be called repeatedly). */
    public void replace(int db, byte[]... args) {
        replaced = true;
        add(db, args);
    }

    /** Called by a handler whose write must not be propagated at all. */
    public void suppress() {
        replaced = true;
    }

    /** Drops what was collected (commands replayed from a file by DEBUG LOADAOF must not go out again). */
    public void discardPending() {
        pending.clear();
    }

    /** Ends the unit, handing each collected command on as a unit of its own (no MULTI/EXEC around them). */
    public void flushSeparately() {
        if (pending.size() <= 1) {
            flush();
            return;
        }
        List<Op> ops = List.copyOf(pending);
        pending.clear();
        for (Op op : ops) {
            pending.add(op);
            flush();
        }
    }

    /** Ends the unit: hands what was collected to the propagators. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Op> unit = List.copyOf(pending);
        pending.clear();
        List<Op> durable = null;
        for (Propagator p : propagators) {
            if (!p.wantsUnits()) {
                continue;
            }
            if (p.takesReplicasOnly()) {
                p.propagate(unit);
                continue;
            }
            if (durable == null) {
                durable = unit.stream().filter(op -> !op.replicasOnly()).toList();
            }
            if (!durable.isEmpty()) {
                p.propagate(durable);
            }
        }
    }
}
