package io.rookery.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.NodeAddress;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobParams;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.job.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Jobs, steps, logs, leases and managed clusters round-trip through the Flyway schema (H2). */
class JdbcJobStoreTest {
    private final DataSource db = TestDatabase.fresh();
    private final JdbcJobStore store = new JdbcJobStore(db);

    private Job newJob() {
        return store.create(new Job(0, "c1", "reshard", "two slots", JobState.PENDING, new JobParams(100, 0, 2, 5, 1000, true),
                "{\"moves\":[]}", Instant.ofEpochMilli(1_000), null, null, null),
                List.of(JobStep.of(StepKind.MOVE, 7, "a", "b", null).withPlanned(10, 100),
                        JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null)));
    }

    @Test
    void aJobAndItsStepsComeBackAsStored() {
        Job job = newJob();
        assertThat(job.id()).isPositive();
        assertThat(job.params()).isEqualTo(new JobParams(100, 0, 2, 5, 1000, true));
        assertThat(job.planJson()).isEqualTo("{\"moves\":[]}");
        List<JobStep> steps = store.steps(job.id());
        assertThat(steps).extracting(JobStep::seq).containsExactly(0, 1);
        assertThat(steps.get(0).slot()).isEqualTo(7);
        assertThat(steps.get(0).keysPlanned()).isEqualTo(10);

        store.update(steps.get(0).withState(StepState.MOVING_KEYS, null).withMoved(4, 40));
        assertThat(store.steps(job.id()).get(0).state()).isEqualTo(StepState.MOVING_KEYS);
        assertThat(store.steps(job.id()).get(0).keysMoved()).isEqualTo(4);

        store.update(job.withState(JobState.RUNNING, null, Instant.ofEpochMilli(2_000), null));
        assertThat(store.jobsIn(JobState.RUNNING)).extracting(Job::id).containsExactly(job.id());
        assertThat(store.jobs("c1")).hasSize(1);
        assertThat(store.jobs("other")).isEmpty();
    }

    @Test
    void jobsAreCountedByState() {
        assertThat(store.countByState()).isEmpty();
        Job first = newJob();
        newJob();
        newJob();
        store.update(first.withState(JobState.RUNNING, null, Instant.ofEpochMilli(2_000), null));
        assertThat(store.countByState()).containsOnly(Map.entry(JobState.PENDING, 2), Map.entry(JobState.RUNNING, 1));
    }

    @Test
    void severalStepsAreStoredTogether() {
        Job job = newJob();
        List<JobStep> steps = store.steps(job.id());
        store.update(List.of(steps.get(0).withState(StepState.DONE, null).withMoved(10, 100),
                steps.get(1).withState(StepState.RUNNING, null)));
        assertThat(store.steps(job.id())).extracting(JobStep::state).containsExactly(StepState.DONE, StepState.RUNNING);
        assertThat(store.steps(job.id()).get(0).bytesMoved()).isEqualTo(100);
    }

    @Test
    void theLogKeepsItsOrderAndItsLimit() {
        Job job = newJob();
        for (int i = 0; i < 5; i++) {
            store.log(job.id(), "INFO", "line " + i);
        }
        assertThat(store.log(job.id(), 3)).extracting(io.rookery.admin.job.JobStore.LogLine::message).containsExactly("line 2", "line 3", "line 4");
    }

    @Test
    void aLeaseIsHeldByOneOwnerUntilItExpiresOrIsReleased() throws InterruptedException {
        assertThat(store.acquireLease("c1", "one", Duration.ofMillis(300))).isTrue();
        assertThat(store.acquireLease("c1", "two", Duration.ofMillis(300))).isFalse();
        assertThat(store.acquireLease("c1", "one", Duration.ofMillis(300))).isTrue();
        assertThat(store.leaseHolder("c1")).contains("one");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!store.acquireLease("c1", "two", Duration.ofSeconds(30))) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(store.leaseHolder("c1")).contains("two");
        store.releaseLease("c1", "one");
        assertThat(store.leaseHolder("c1")).contains("two");
        store.releaseLease("c1", "two");
        assertThat(store.leaseHolder("c1")).isEmpty();
        assertThat(store.acquireLease("c2", "one", Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void managedClustersKeepTheirSeedsAndCredentials() {
        JdbcClusterRegistry registry = new JdbcClusterRegistry(db);
        ManagedCluster c = new ManagedCluster("c1", List.of(NodeAddress.parse("127.0.0.1:7000"),
                NodeAddress.parse("127.0.0.1:7001")), new Credentials("admin", "s3cret"), Instant.ofEpochMilli(5));
        assertThat(registry.add(c)).isTrue();
        assertThat(registry.add(c)).isFalse();
        ManagedCluster back = registry.find("c1").orElseThrow();
        assertThat(back).isEqualTo(c);
        assertThat(back.credentials().toString()).doesNotContain("s3cret").contains("******");
        registry.updateSeeds("c1", List.of(NodeAddress.parse("10.0.0.1:6379")));
        assertThat(registry.find("c1").orElseThrow().seeds()).containsExactly(NodeAddress.parse("10.0.0.1:6379"));
        assertThat(registry.remove("c1")).isTrue();
        assertThat(registry.all()).isEmpty();
    }
}
