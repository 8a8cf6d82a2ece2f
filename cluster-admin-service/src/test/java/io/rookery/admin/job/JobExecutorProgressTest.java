package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A finished job's progress is read from its steps once, not at every job listing, and read again
 * when the job's state changes (a failed job resumed and finished anew).
 */
class JobExecutorProgressTest {
    private final AtomicInteger stepReads = new AtomicInteger();
    private final JobStore store = counting(new JdbcJobStore(TestDatabase.fresh()));

    @Test
    void aFinishedJobsProgressIsReadOnceUntilItsStateChanges() {
        try (JobExecutor executor = new JobExecutor(store, name -> null, "i1", Duration.ofSeconds(15))) {
            Job job = store.create(new Job(0, "c1", "reshard", "two slots", JobState.PENDING, JobParams.DEFAULTS, "{}",
                    Instant.ofEpochMilli(1_000), null, null, null), List.of(
                    JobStep.of(StepKind.MOVE, 7, "a", "b", null).withPlanned(10, 100),
                    JobStep.of(StepKind.MOVE, 8, "a", "b", null).withPlanned(5, 50)));
            List<JobStep> steps = store.steps(job.id());
            store.update(steps.get(0).withState(StepState.DONE, null).withMoved(10, 100));
            store.update(steps.get(1).withState(StepState.FAILED, "node gone").withMoved(2, 20));
            Job failed = job.withState(JobState.FAILED, "node gone", Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(3_000));
            store.update(failed);
            stepReads.set(0);

            JobProgress first = executor.progress(job.id());
            JobProgress again = executor.progress(job.id());
            assertThat(again).isEqualTo(first);
            assertThat(first.slotsMoved()).isEqualTo(1); // the failed move is not counted as moved
            assertThat(first.keysMoved()).isEqualTo(12);
            assertThat(stepReads.get()).isEqualTo(1);

            store.update(steps.get(1).withState(StepState.DONE, null).withMoved(5, 50));
            store.update(failed.withState(JobState.SUCCEEDED, null, Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(9_000)));
            assertThat(executor.progress(job.id()).keysMoved()).isEqualTo(15);
            assertThat(stepReads.get()).isEqualTo(2);
        }
    }

    private JobStore counting(JobStore inner) {
        return (JobStore) java.lang.reflect.Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("steps")) {
                        stepReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
