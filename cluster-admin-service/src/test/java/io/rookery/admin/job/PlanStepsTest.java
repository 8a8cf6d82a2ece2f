package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.plan.ClusterNode;
import io.rookery.admin.plan.CreatePlanner;
import io.rookery.admin.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanStepsTest {

    /** Six empty nodes on one host, as a create job gets them. */
    private static List<ClusterNode> emptyNodes() {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            nodes.add(ClusterNode.primary(String.format("%040d", i), "127.0.0.1", 30000 + i, List.of()));
        }
        return nodes;
    }

    @Test
    void aCreateJobAssignsSlotsAndConfigEpochsBeforeAnyNodeMeetsAnother() {
        Plan plan = new CreatePlanner().plan(emptyNodes(), 1);
        List<JobStep> steps = PlanSteps.of(plan);
        List<StepKind> kinds = steps.stream().map(JobStep::kind).toList();

        int lastAssignment = kinds.lastIndexOf(StepKind.ADD_SLOTS);
        int firstMeet = kinds.indexOf(StepKind.MEET);
        assertThat(firstMeet).as("a create plan meets the nodes").isPositive();
        assertThat(lastAssignment).as("every ADDSLOTS/SET-CONFIG-EPOCH step comes before the first MEET: "
                + "a node refuses SET-CONFIG-EPOCH once it knows another node").isLessThan(firstMeet);
        assertThat(kinds.indexOf(StepKind.AWAIT_JOINED)).isGreaterThan(kinds.lastIndexOf(StepKind.MEET));
        assertThat(kinds.indexOf(StepKind.REPLICATE)).isGreaterThan(kinds.indexOf(StepKind.AWAIT_JOINED));
        assertThat(kinds.get(kinds.size() - 1)).isEqualTo(StepKind.AWAIT_CONSISTENT);
    }
}
