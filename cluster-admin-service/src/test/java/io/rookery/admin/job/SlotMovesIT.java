package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import io.rookery.protocol.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The executor moves slots with their keys between primaries of a live cluster — real redis-server
 * 7.0 and Rookery alike — leaving redis-cli --cluster check clean and every key in place.
 */
@Tag("admin")
class SlotMovesIT {

    @ParameterizedTest
    @EnumSource(TestCluster.Kind.class)
    void slotsMoveWithTheirKeysAndTheClusterChecksClean(TestCluster.Kind kind) throws Exception {
        try (TestCluster cluster = new TestCluster(kind)) {
            for (int i = 0; i < 3; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports(), 0);
            cluster.writeKeys(300);
            String before = cluster.checksum();
            JdbcJobStore store = new JdbcJobStore(TestDatabase.fresh());
            try (ClusterHandle handle = cluster.handle("c1");
                 JobExecutor executor = new JobExecutor(store, n -> handle, "test", Duration.ofSeconds(10))) {
                ClusterSnapshot s = handle.refresh();
                NodeState from = s.primaries().get(0);
                NodeState to = s.primaries().get(1);
                List<JobStep> steps = new ArrayList<>();
                java.util.TreeSet<Integer> slots = new java.util.TreeSet<>();
                for (int i = 0; i < 300 && slots.size() < 20; i++) {
                    int slot = SlotHash.slot(("key:" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    if (from.self().slots().get(slot)) {
                        slots.add(slot);
                    }
                }
                for (int slot = from.self().slots().nextSetBit(0); slots.size() < 40; slot++) {
                    slots.add(slot);
                }
                for (int slot : slots) {
                    steps.add(JobStep.of(StepKind.MOVE, slot, from.id(), to.id(), null));
                }
                steps.add(JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null));
                Job job = store.create(new Job(0, "c1", "reshard", "40 slots", JobState.PENDING,
                        new JobParams(0, 0, 2, 7, 5000, false), null, Instant.now(), null, null, null), steps);
                executor.start(job.id());
                TestCluster.await("the job to finish", () -> store.job(job.id()).orElseThrow().state().finished(),
                        () -> store.job(job.id()).toString());
                assertThat(store.job(job.id()).orElseThrow().state()).as(store.log(job.id(), 20).toString())
                        .isEqualTo(JobState.SUCCEEDED);
                ClusterSnapshot after = handle.refresh();
                assertThat(slots).allMatch(slot -> after.node(to.id()).orElseThrow().self().slots().get(slot));
                assertThat(executor.progress(job.id()).slotsMoved()).isEqualTo(40);
                assertThat(executor.progress(job.id()).keysMoved()).isPositive();
            }
            TestCluster.awaitClean(cluster.ports().get(0));
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }
}
