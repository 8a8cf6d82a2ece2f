package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress figures from the steps: counts, rate, ETA. */
class JobProgressTest {

    @Test
    void countsRateAndTimeLeftComeFromTheSteps() {
        List<JobStep> steps = List.of(
                JobStep.of(StepKind.MOVE, 1, "a", "b", null).withPlanned(100, 1000).withState(StepState.DONE, null)
                        .withMoved(100, 1000),
                JobStep.of(StepKind.MOVE, 2, "a", "b", null).withPlanned(100, 1000).withState(StepState.MOVING_KEYS, null)
                        .withMoved(50, 500),
                JobStep.of(StepKind.MOVE, 3, "a", "b", null).withPlanned(150, 1500),
                JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null));
        JobProgress p = JobProgress.of(steps, Instant.ofEpochSecond(100), Instant.ofEpochSecond(110));
        assertThat(p.steps()).isEqualTo(4);
        assertThat(p.stepsDone()).isEqualTo(1);
        assertThat(p.slotsMoved()).isEqualTo(1);
        assertThat(p.slotsToMove()).isEqualTo(3);
        assertThat(p.keysMoved()).isEqualTo(150);
        assertThat(p.keysPlanned()).isEqualTo(350);
        assertThat(p.bytesMoved()).isEqualTo(1500);
        assertThat(p.keysPerSecond()).isEqualTo(15.0);
        assertThat(p.etaSeconds()).isEqualTo(14L); // 200 keys left at 15 keys/s
    }

    @Test
    void aJobWithoutMovesHasNothingLeft() {
        JobProgress p = JobProgress.of(List.of(JobStep.of(StepKind.FAILOVER, -1, "r", "p", "")), null, Instant.now());
        assertThat(p.etaSeconds()).isZero();
        assertThat(p.keysPerSecond()).isZero();
    }

    @Test
    void everyStepDescribesItself() {
        assertThat(JobStep.of(StepKind.MOVE, 5, "a", "b", null).describe()).isEqualTo("move slot 5 from a to b");
        assertThat(JobStep.of(StepKind.FAILOVER, -1, "r", "p", "FORCE").describe()).isEqualTo("CLUSTER FAILOVER FORCE on r");
        assertThat(JobStep.of(StepKind.ADD_SLOTS, -1, "a", null, "0-5460").withEpoch(1).describe())
                .isEqualTo("add slots 0-5460 to a (config epoch 1)");
    }
}
