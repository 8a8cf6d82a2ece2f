package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The executor on a password-protected real Redis 7.0 cluster (MIGRATE ... AUTH): pause and cancel
 * stop between slots with none left open, resume carries on, a second instance waits while the first
 * holds the cluster's lease; afterwards redis-cli --cluster check is clean and every key is in place.
 * (Moves on both Redis and Rookery, every kind of job, are ClusterOpsIT's.)
 */
@Tag("admin")
class SlotMovesIT {
    private static final int KEYS = 300;

    /** 20 slots holding keys and 20 empty ones, all owned by {@code from}. */
    private static TreeSet<Integer> slotsOf(NodeState from, int count) {
        TreeSet<Integer> slots = new TreeSet<>();
        for (int i = 0; i < KEYS && slots.size() < count / 2; i++) {
            int slot = SlotHash.slot(("key:" + i).getBytes(StandardCharsets.UTF_8));
            if (from.self().slots().get(slot)) {
                slots.add(slot);
            }
        }
        for (int slot = from.self().slots().nextSetBit(0); slots.size() < count; slot++) {
            slots.add(slot);
        }
        return slots;
    }

    private static Job moveJob(JdbcJobStore store, NodeState from, NodeState to, TreeSet<Integer> slots, JobParams params) {
        List<JobStep> steps = new ArrayList<>();
        for (int slot : slots) {
            steps.add(JobStep.of(StepKind.MOVE, slot, from.id(), to.id(), null));
        }
        steps.add(JobStep.of(StepKind.AWAIT_CONSISTENT, -1, null, null, null));
        return store.create(new Job(0, "c1", "reshard", slots.size() + " slots", JobState.PENDING, params, null,
                Instant.now(), null, null, null), steps);
    }

    private static JobState awaitFinal(JdbcJobStore store, long id, JobState... states) throws InterruptedException {
        List<JobState> wanted = List.of(states);
        TestCluster.await("job " + id + " to reach " + wanted, () -> wanted.contains(store.job(id).orElseThrow().state()),
                () -> store.job(id) + " " + store.log(id, 10));
        return store.job(id).orElseThrow().state();
    }

    @Test
    void pauseAndCancelStopBetweenSlotsAndASecondInstanceWaitsForTheLease() throws Exception {
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.REDIS, "s3cret")) {
            for (int i = 0; i < 3; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports(), 0);
            cluster.writeKeys(KEYS);
            String before = cluster.checksum();
            JdbcJobStore store = new JdbcJobStore(TestDatabase.fresh());
            try (ClusterHandle handle = cluster.handle("c1");
                 JobExecutor one = new JobExecutor(store, n -> handle, "one", Duration.ofSeconds(2));
                 JobExecutor two = new JobExecutor(store, n -> handle, "two", Duration.ofSeconds(2))) {
                ClusterSnapshot s = handle.refresh();
                NodeState from = s.primaries().get(0);
                NodeState to = s.primaries().get(1);
                // 40 slots at 20 keys/s: slow enough to pause midway
                Job job = moveJob(store, from, to, slotsOf(from, 40), new JobParams(20, 0, 1, 1, 5000, false));
                one.start(job.id());
                TestCluster.await("some slots to move", () -> one.progress(job.id()).slotsMoved() >= 3, () -> "");

                two.start(job.id()); // the same job on a second instance: it waits for the lease
                TestCluster.await("the second instance to see the lease taken",
                        () -> store.log(job.id(), 50).stream().anyMatch(l -> l.message().contains("is leased by one")),
                        () -> store.log(job.id(), 50).toString());
                assertThat(store.leaseHolder("c1")).contains("one");
                two.cancel(job.id()); // stops waiting; the job itself is the first instance's

                one.pause(job.id());
                assertThat(awaitFinal(store, job.id(), JobState.PAUSED, JobState.FAILED)).isEqualTo(JobState.PAUSED);
                assertThat(handle.refresh().openSlots()).isEmpty();
                int moved = one.progress(job.id()).slotsMoved();
                assertThat(moved).isLessThan(40);
                // what a restarted service would read: every move done so far, none in flight
                List<JobStep> stored = store.steps(job.id());
                assertThat(stored).extracting(JobStep::state).containsOnly(StepState.DONE, StepState.PENDING);
                assertThat(stored.stream().filter(st -> st.state() == StepState.DONE).count()).isEqualTo(moved);

                one.resume(job.id());
                TestCluster.await("more slots to move", () -> one.progress(job.id()).slotsMoved() > moved + 2, () -> "");
                one.cancel(job.id());
                assertThat(awaitFinal(store, job.id(), JobState.CANCELLED, JobState.FAILED)).isEqualTo(JobState.CANCELLED);
                assertThat(handle.refresh().openSlots()).isEmpty();
                assertThat(store.steps(job.id())).extracting(JobStep::state)
                        .contains(StepState.DONE, StepState.SKIPPED).doesNotContain(StepState.PENDING, StepState.FAILED);
            }
            TestCluster.awaitClean(cluster.ports().get(0), "s3cret");
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }

    @Test
    void aKeyThatDiffersOnTheTargetFailsTheStepNamingItAndTheJobFinishesOnceFixed() throws Exception {
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.REDIS)) {
            for (int i = 0; i < 3; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports(), 0);
            cluster.writeKeys(KEYS);
            String before = cluster.checksum();
            JdbcJobStore store = new JdbcJobStore(TestDatabase.fresh());
            try (ClusterHandle handle = cluster.handle("c1");
                 JobExecutor executor = new JobExecutor(store, n -> handle, "one", Duration.ofSeconds(5))) {
                ClusterSnapshot s = handle.refresh();
                NodeState from = s.primaries().get(0);
                NodeState to = s.primaries().get(1);
                String key = null;
                int slot = -1;
                for (int i = 0; key == null; i++) { // a key that exists on the source
                    slot = SlotHash.slot(("key:" + i).getBytes(StandardCharsets.UTF_8));
                    if (from.self().slots().get(slot)) {
                        key = "key:" + i;
                    }
                }
                TreeSet<Integer> slots = slotsOf(from, 4);
                slots.add(slot);
                int target = to.address().port();
                // the target already holds the key, with another value (a half-done manual migration)
                cluster.cli(target, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", from.id());
                RedisCliStdin.run(target, "ASKING\nSET " + key + " stale\n");

                Job job = moveJob(store, from, to, slots, new JobParams(0, 0, 1, 10, 5000, false));
                executor.start(job.id());
                assertThat(awaitFinal(store, job.id(), JobState.FAILED, JobState.SUCCEEDED)).isEqualTo(JobState.FAILED);
                Job failed = store.job(job.id()).orElseThrow();
                assertThat(failed.error()).contains("move slot " + slot, "different values", key);
                assertThat(store.log(job.id(), 5).toString()).contains("slots left open: {" + slot + "=");

                RedisCliStdin.run(target, "ASKING\nDEL " + key + "\n"); // fixed by hand
                executor.resume(job.id());
                assertThat(awaitFinal(store, job.id(), JobState.SUCCEEDED, JobState.FAILED)).isEqualTo(JobState.SUCCEEDED);
            }
            TestCluster.awaitClean(cluster.ports().get(0));
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }

    /** Commands on one redis-cli connection (ASKING applies to the next command only). */
    private static final class RedisCliStdin {
        static void run(int port, String lines) {
            io.rookery.node.support.RedisCli.run(port, lines.getBytes(StandardCharsets.UTF_8));
        }
    }
}
