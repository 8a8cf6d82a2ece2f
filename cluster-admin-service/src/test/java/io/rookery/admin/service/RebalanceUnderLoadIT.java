package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.service.ApiModels.AddNodeRequest;
import io.rookery.admin.service.ApiModels.CreateRequest;
import io.rookery.admin.service.ApiModels.RebalanceRequest;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12's proof under load, on real redis-server 7.0 and Rookery alike: while the service rebalances
 * three primaries onto an added empty fourth (use-empty-masters, some 530 slots), an application using Lettuce's cluster
 * client writes distinct keys and reads them back without pause. No exception reaches the application
 * (Lettuce follows MOVED and ASK itself), no read returns anything but the acknowledged value, every
 * acknowledged write is there afterwards, the job succeeds and redis-cli --cluster check is clean.
 */
@Tag("admin")
class RebalanceUnderLoadIT {

    @ParameterizedTest
    @EnumSource(TestCluster.Kind.class)
    void aClusterClientSeesNoErrorAndLosesNoWriteWhileTheClusterIsRebalanced(TestCluster.Kind kind) throws Exception {
        DataSource db = TestDatabase.fresh();
        JdbcJobStore store = new JdbcJobStore(db);
        JdbcClusterRegistry registry = new JdbcClusterRegistry(db);
        try (TestCluster cluster = new TestCluster(kind);
             NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));
             ClusterHandles handles = new ClusterHandles(registry, connector);
             JobExecutor executor = new JobExecutor(store, handles::get, "it", Duration.ofSeconds(5))) {
            for (int i = 0; i < 4; i++) {
                cluster.startNode();
            }
            List<Integer> ports = cluster.ports();
            ClusterOperations ops = new ClusterOperations(registry, handles, store, executor, connector,
                    JsonMapper.builder().build());
            List<String> three = ports.subList(0, 3).stream().map(p -> "127.0.0.1:" + p).toList();
            awaitSuccess(store, (Job) ops.create(new CreateRequest("c", three, 0, null, null, null), false), ports.get(0));

            try (ClusterLoad load = ClusterLoad.start(ports.get(0))) {
                TestCluster.await("the application to write some keys", () -> load.acknowledged() >= 1500,
                        () -> load.acknowledged() + " acknowledged, errors " + load.errors());
                awaitSuccess(store, (Job) ops.addNode("c", new AddNodeRequest("127.0.0.1:" + ports.get(3), "primary",
                        null, null), false), ports.get(0));
                String fourth = ops.planningHandle("c").refresh().nodes().stream()
                        .filter(n -> n.address().port() == ports.get(3)).map(NodeState::id).findFirst().orElseThrow();
                // an application learns a new node from its periodic refresh before any slot moves to it
                TestCluster.await("the application's topology to list the new primary", () -> load.knowsNode(fourth),
                        () -> "");

                long before = load.acknowledged();
                // use-empty-masters with the new primary weighing 0.1: it takes about 530 slots from the three others
                // (an even share, 4096 slots, takes minutes on a loaded machine and proves nothing more)
                Job rebalance = (Job) ops.rebalance("c", new RebalanceRequest(java.util.Map.of(fourth, 0.1), null, true,
                        null, null, null, null), false);
                Job done = awaitSuccess(store, rebalance, ports.get(0));
                load.stop();

                int moved = ops.planningHandle("c").refresh().node(fourth).orElseThrow().self().slotCount();
                System.out.printf("%s: rebalance moved %d slots in %d ms; the application wrote %d keys during it, "
                                + "%d in all, read %d, worst command pair %d ms%n", kind, moved,
                        Duration.between(done.startedAt(), done.finishedAt()).toMillis(), load.acknowledged() - before,
                        load.acknowledged(), load.reads(), load.worstLatencyMillis());
                assertThat((long) moved).isEqualTo(store.steps(done.id()).stream().filter(st -> st.kind() == StepKind.MOVE)
                        .count())
                        .isGreaterThan(500);
                assertThat(load.acknowledged() - before).as("writes during the rebalance").isGreaterThan(100);
                assertThat(load.errors()).as(load.errorCount() + " exceptions reached the application").isEmpty();
                assertThat(load.wrongReads()).as("reads that did not return the acknowledged value").isEmpty();
                assertThat(load.missingAfterwards()).as("acknowledged writes missing afterwards").isEmpty();
            }
            assertThat(TestCluster.clean(TestCluster.check(ports.get(0)))).as(TestCluster.check(ports.get(0))).isTrue();
        }
    }

    /** Waits for a job, asserts it succeeded, then that the cluster checks clean. */
    private static Job awaitSuccess(JdbcJobStore store, Job job, int port) throws InterruptedException {
        TestCluster.await("job " + job.id() + " (" + job.description() + ") to finish",
                () -> store.job(job.id()).orElseThrow().state().finished(), () -> store.log(job.id(), 10).toString());
        Job done = store.job(job.id()).orElseThrow();
        assertThat(done.state()).as(job.description() + ": " + store.log(job.id(), 15)).isEqualTo(JobState.SUCCEEDED);
        TestCluster.awaitClean(port);
        return done;
    }
}
