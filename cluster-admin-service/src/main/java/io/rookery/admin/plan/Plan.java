package io.rookery.admin.plan;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a planner decided, complete enough to show as a dry run and to execute without re-planning. A plain record
 * of simple types so it serialises to JSON as it is.
 *
 * <p>The executor carries it out in this order: {@link #slotAssignments()} (ADDSLOTS, then SET-CONFIG-EPOCH,
 * which a node only accepts while it knows no other node), then {@link #meets()}, then, once every node knows every
 * other, {@link #replicaAssignments()}, then {@link #fixes()} in order, then {@link #moves()} in order (a move's
 * figures are the snapshot's), then {@link #forget()} (each listed node forgotten by every other node, then reset).
 * Lists a planner has nothing for are empty, never null.
 *
 * @param kind               which planner made it
 * @param objective          the objective and the rules the planner followed, in words (for the operator)
 * @param metric             the load metric the plan balances and {@link PrimaryFigures#load()} reports; {@code null}
 *                           when the plan is about slot counts (load = slots)
 * @param moves              slot migrations, in the order to make them
 * @param slotAssignments    ADDSLOTS per node (create, fix of uncovered slots is in {@link #fixes()})
 * @param replicaAssignments REPLICATE pairs
 * @param meets              CLUSTER MEET steps
 * @param fixes              open/uncovered slot repair steps, in order
 * @param forget             ids of nodes to forget everywhere and reset once empty (drain / remove)
 * @param before             per primary, the figures in the snapshot (snapshot order)
 * @param after              per primary, the figures once the plan is done (nodes leaving the cluster omitted)
 * @param notes              warnings and remarks (anti-affinity not satisfiable, figures not measured, ...)
 */
public record Plan(
        PlanKind kind,
        String objective,
        LoadMetric metric,
        List<SlotMove> moves,
        List<SlotAssignment> slotAssignments,
        List<ReplicaAssignment> replicaAssignments,
        List<NodeMeet> meets,
        List<SlotFix> fixes,
        List<String> forget,
        List<PrimaryFigures> before,
        List<PrimaryFigures> after,
        List<String> notes) {

    public Plan {
        moves = copy(moves);
        slotAssignments = copy(slotAssignments);
        replicaAssignments = copy(replicaAssignments);
        meets = copy(meets);
        fixes = copy(fixes);
        forget = copy(forget);
        before = copy(before);
        after = copy(after);
        notes = copy(notes);
    }

    /** A plan that only moves slots (reshard, rebalance, drain without forget). */
    public static Plan ofMoves(PlanKind kind, String objective, LoadMetric metric, List<SlotMove> moves,
            List<PrimaryFigures> before, List<PrimaryFigures> after, List<String> notes) {
        return new Plan(kind, objective, metric, moves, List.of(), List.of(), List.of(), List.of(), List.of(), before,
                after, notes);
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return moves.isEmpty() && slotAssignments.isEmpty() && replicaAssignments.isEmpty() && meets.isEmpty()
                && fixes.isEmpty() && forget.isEmpty();
    }

    /** Keys all moves carry, by the snapshot's figures. */
    public long totalKeys() {
        return moves.stream().mapToLong(SlotMove::keys).sum();
    }

    /** Bytes all moves carry, by the snapshot's figures. */
    public long totalBytes() {
        return moves.stream().mapToLong(SlotMove::bytes).sum();
    }

    /**
     * The time the moves take at {@code throttle}: the longer of total keys / keys per second and total bytes /
     * bytes per second, rounded up to the millisecond; {@link Duration#ZERO} when the throttle sets no limit or the
     * figures were not measured (the estimate covers data transfer only, not per-slot round trips).
     */
    public Duration estimatedDuration(Throttle throttle) {
        double seconds = 0;
        if (throttle.keysPerSecond() > 0) {
            seconds = Math.max(seconds, (double) totalKeys() / throttle.keysPerSecond());
        }
        if (throttle.bytesPerSecond() > 0) {
            seconds = Math.max(seconds, (double) totalBytes() / throttle.bytesPerSecond());
        }
        return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    }

    /**
     * The owner of every slot (index = slot, {@code null} = uncovered) once the plan is carried out on
     * {@code before}, the snapshot it was made from: what the executor's result can be checked against. Slot
     * assignments add slots; fixes act in order ({@code ASSIGN*} makes the node the owner, {@code MOVE_SLOT} and
     * {@code SETSLOT_NODE} make the peer the owner, {@code DELSLOTS} uncovers the slot if the node owned it);
     * then the moves.
     */
    public String[] expectedOwners(ClusterTopology before) {
        String[] owners = before.slotOwners();
        for (SlotAssignment assignment : slotAssignments) {
            for (SlotRange range : assignment.slots()) {
                for (int slot = range.start(); slot <= range.end(); slot++) {
                    owners[slot] = assignment.nodeId();
                }
            }
        }
        for (SlotFix fix : fixes) {
            switch (fix.action()) {
                case ASSIGN, ASSIGN_AND_STABILIZE -> owners[fix.slot()] = fix.nodeId();
                case MOVE_SLOT, SETSLOT_NODE -> owners[fix.slot()] = fix.peerId();
                case DELSLOTS -> {
                    if (fix.nodeId().equals(owners[fix.slot()])) {
                        owners[fix.slot()] = null;
                    }
                }
                case SETSLOT_STABLE, SETSLOT_IMPORTING, MOVE_KEYS -> {
                }
            }
        }
        for (SlotMove move : moves) {
            owners[move.slot()] = move.targetId();
        }
        return owners;
    }

    /** The slots each move carries, as a set, for checks. */
    public Set<Integer> movedSlots() {
        return Set.copyOf(moves.stream().map(SlotMove::slot).toList());
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
