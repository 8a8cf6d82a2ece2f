package io.rookery.admin.job;

import io.rookery.admin.plan.NodeMeet;
import io.rookery.admin.plan.Plan;
import io.rookery.admin.plan.ReplicaAssignment;
import io.rookery.admin.plan.SlotAssignment;
import io.rookery.admin.plan.SlotFix;
import io.rookery.admin.plan.SlotMove;
import io.rookery.admin.plan.SlotRange;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Plan} as the executor's steps, in the plan's order: slot assignments with their config
 * epochs, meets, a wait until every node knows every other (when there were meets), replica
 * assignments, fixes, slot moves, node removals, and a final wait until the nodes agree with no slot
 * open. Assignments come before meets as in redis-cli's create: a node takes SET-CONFIG-EPOCH only
 * while it knows no other node, and distinct epochs set up front spare the cluster the collision
 * handling that would otherwise have to settle them.
 */
public final class PlanSteps {
    private PlanSteps() {
    }

    public static List<JobStep> of(Plan plan) {
        List<JobStep> steps = new ArrayList<>();
        for (SlotAssignment a : plan.slotAssignments()) {
            steps.add(JobStep.of(StepKind.ADD_SLOTS, -1, a.nodeId(), null,
                    String.join(",", a.slots().stream().map(SlotRange::toString).toList())).withEpoch(a.configEpoch()));
        }
        for (NodeMeet m : plan.meets()) {
            steps.add(JobStep.of(StepKind.MEET, -1, m.nodeId(), null,
                    m.host() + " " + m.port() + " " + m.busPort()));
        }
        if (!plan.meets().isEmpty()) {
            steps.add(JobStep.of(StepKind.AWAIT_JOINED, -1, null, null, null));
        }
        for (ReplicaAssignment r : plan.replicaAssignments()) {
            steps.add(JobStep.of(StepKind.REPLICATE, -1, r.replicaId(), r.primaryId(), null));
        }
        for (SlotFix f : plan.fixes()) {
            steps.add(JobStep.of(StepKind.FIX, f.slot(), f.nodeId(), f.peerId(), f.action().name()));
        }
        for (SlotMove m : plan.moves()) {
            steps.add(JobStep.of(StepKind.MOVE, m.slot(), m.sourceId(), m.targetId(), null).withPlanned(m.keys(), m.bytes()));
        }
        for (String id : plan.forget()) {
            steps.add(JobStep.of(StepKind.FORGET, -1, id, null, null));
        }
        steps.add(JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null));
        return steps;
    }
}
