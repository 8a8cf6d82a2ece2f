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

    /** One command to replay in database {@code db}. */
    public record Op(int db, byte[][] args) {
    }

    private final List<Propagator> propagators = new ArrayList<>();
    private final List<Op> pending = new ArrayList<>();
    /** The {@link Propagator#target()} kinds each pending op goes to, beside {@link #pending}. */
    private final List<Integer> pendingTargets = new ArrayList<>();
    private int targets = Propagator.AOF | Propagator.REPLICAS;
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

    /**
     * Where the commands added from now on go: {@link Propagator#AOF}, {@link Propagator#REPLICAS},
     * both (the default) or neither (0). A script's redis.set_repl sets it around each redis.call.
     */
    public void targets(int mask) {
        this.targets = mask;
    }

    /** Adds a command to the current unit (nothing is recorded while no propagator wants it). */
    public void add(int db, byte[]... args) {
        if (targets == 0) {
            return;
        }
        for (int i = 0; i < propagators.size(); i++) {
            if (propagators.get(i).wantsUnits()) {
                pending.add(new Op(db, args));
                pendingTargets.add(targets);
                return;
            }
        }
    }

    /** Adds a command for replicas only, not the AOF (PUBLISH, as Redis's forceCommandPropagation(PROPAGATE_REPL)). */
    public void addForReplicas(int db, byte[]... args) {
        int saved = targets;
        targets = saved & Propagator.REPLICAS;
        try {
            add(db, args);
        } finally {
            targets = saved;
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
        pendingTargets.clear();
    }

    private static List<Op> only(List<Op> unit, List<Integer> unitTargets, int target) {
        List<Op> out = new ArrayList<>(unit.size());
        for (int i = 0; i < unit.size(); i++) {
            if ((unitTargets.get(i) & target) != 0) {
                out.add(unit.get(i));
            }
        }
        return out;
    }

    /** Ends the unit, handing each collected command on as a unit of its own (no MULTI/EXEC around them). */
    public void flushSeparately() {
        if (pending.size() <= 1) {
            flush();
            return;
        }
        List<Op> ops = List.copyOf(pending);
        List<Integer> opTargets = List.copyOf(pendingTargets);
        pending.clear();
        pendingTargets.clear();
        for (int i = 0; i < ops.size(); i++) {
            pending.add(ops.get(i));
            pendingTargets.add(opTargets.get(i));
            flush();
        }
    }

    /** Ends the unit: hands what was collected to the propagators. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Op> unit = List.copyOf(pending);
        boolean everywhere = true;
        for (int t : pendingTargets) {
            everywhere &= t == (Propagator.AOF | Propagator.REPLICAS);
        }
        List<Integer> unitTargets = everywhere ? List.of() : List.copyOf(pendingTargets);
        pending.clear();
        pendingTargets.clear();
        for (Propagator p : propagators) {
            if (p.wantsUnits()) {
                List<Op> mine = everywhere ? unit : only(unit, unitTargets, p.target());
                if (!mine.isEmpty()) {
                    p.propagate(mine);
                }
            }
        }
    }
}
