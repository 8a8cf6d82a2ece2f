package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.plan.Plan;
import io.rookery.admin.service.ApiModels.AddNodeRequest;
import io.rookery.admin.service.ApiModels.CreateRequest;
import io.rookery.admin.service.ApiModels.DryRun;
import io.rookery.admin.service.ApiModels.FailoverRequest;
import io.rookery.admin.service.ApiModels.FixRequest;
import io.rookery.admin.service.ApiModels.RebalanceRequest;
import io.rookery.admin.service.ApiModels.RemoveNodeRequest;
import io.rookery.admin.service.ApiModels.ReshardRequest;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import io.rookery.node.support.RedisCli;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every change the service makes, one after the other on one cluster — real redis-server 7.0 and
 * Rookery alike: create, add a primary, reshard onto it, rebalance by weight and by load, remove
 * a primary, add a replica and fail over to it, fix a half-migrated slot. After each, redis-cli
 * --cluster check is clean and the checksum of every key is unchanged; each dry run's moves are the
 * job's.
 */
@Tag("admin")
class ClusterOpsIT {

    @ParameterizedTest
    @EnumSource(TestCluster.Kind.class)
    void theWholeLifeOfACluster(TestCluster.Kind kind) throws Exception {
        DataSource db = TestDatabase.fresh();
        JdbcJobStore store = new JdbcJobStore(db);
        JdbcClusterRegistry registry = new JdbcClusterRegistry(db);
        try (TestCluster cluster = new TestCluster(kind);
             NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));
             ClusterHandles handles = new ClusterHandles(registry, connector);
             JobExecutor executor = new JobExecutor(store, handles::get, "it", Duration.ofSeconds(5))) {
            for (int i = 0; i < 5; i++) {
                cluster.startNode();
            }
            List<Integer> ports = cluster.ports();
            ClusterOperations ops = new ClusterOperations(registry, handles, store, executor, connector,
                    JsonMapper.builder().build());
            Steps steps = new Steps(store, cluster, ports.get(0));

            // create from three empty nodes
            List<String> three = ports.subList(0, 3).stream().map(p -> "127.0.0.1:" + p).toList();
            steps.run((Job) ops.create(new CreateRequest("c", three, 0, null, null, null), false));
            cluster.writeKeys(300);
            String checksum = cluster.checksum();

            // add a fourth primary, reshard 150 slots onto it (the dry run's moves are the job's)
            steps.run((Job) ops.addNode("c", new AddNodeRequest("127.0.0.1:" + ports.get(3), "primary", null, null), false));
            String fourth = node(ops, "c", ports.get(3)).id();
            String first = node(ops, "c", ports.get(0)).id();
            ReshardRequest reshard = new ReshardRequest(150, List.of("all"), fourth, null, null);
            DryRun dry = (DryRun) ops.reshard("c", reshard, true);
            Job resharded = steps.run((Job) ops.reshard("c", reshard, false));
            assertThat(steps.moves(resharded)).isEqualTo(moves((Plan) dry.plan())).hasSizeBetween(145, 150);
            assertThat(node(ops, "c", ports.get(3)).self().slotCount()).isEqualTo(steps.moves(resharded).size());
            assertThat(cluster.checksum()).isEqualTo(checksum);

            // rebalance by weight: the fourth primary weighs 0.02, so it gives back about a third of its slots
            RebalanceRequest rebalance = new RebalanceRequest(java.util.Map.of(fourth, 0.02), null, null, null, null,
                    null, new ApiModels.JobOptions(null, null, 2, null, null, null));
            DryRun dryRebalance = (DryRun) ops.rebalance("c", rebalance, true);
            Job rebalanced = steps.run((Job) ops.rebalance("c", rebalance, false));
            assertThat(steps.moves(rebalanced)).isEqualTo(moves((Plan) dryRebalance.plan())).isNotEmpty();
            assertThat(cluster.checksum()).isEqualTo(checksum);

            // rebalance by load (keys per slot: SLOT-STATS or COUNTKEYSINSLOT), a few slots at most
            steps.run((Job) ops.rebalance("c", new RebalanceRequest(null, null, null, "keys", 10, 0.0, null), false));
            assertThat(cluster.checksum()).isEqualTo(checksum);

            // remove the fourth primary (drained first)
            steps.run((Job) ops.removeNode("c", fourth, new RemoveNodeRequest(null, null), false));
            ClusterSnapshot afterRemoval = handles.get("c").refresh();
            assertThat(afterRemoval.node(fourth)).isEmpty();
            assertThat(afterRemoval.primaries()).hasSize(3);
            assertThat(cluster.checksum()).isEqualTo(checksum);

            // a replica for the first primary, then a failover to it
            steps.run((Job) ops.addNode("c", new AddNodeRequest("127.0.0.1:" + ports.get(4), "replica", first, null), false));
            String replica = node(ops, "c", ports.get(4)).id();
            TestCluster.await("the replica to sync", () -> RedisCli.run(ports.get(4), "INFO", "replication")
                    .contains("master_link_status:up"), () -> RedisCli.run(ports.get(4), "INFO", "replication"));
            steps.run((Job) ops.failover("c", new FailoverRequest(replica, null, null), false));
            assertThat(node(ops, "c", ports.get(4)).self().primary()).isTrue();
            assertThat(cluster.checksum()).isEqualTo(checksum);

            // a slot left half-migrated by hand, then fixed
            ClusterSnapshot s = handles.get("c").refresh();
            NodeState owner = s.primaries().stream().filter(p -> p.self().slotCount() > 0).findFirst().orElseThrow();
            NodeState other = s.primaries().stream().filter(p -> p != owner && p.self().slotCount() > 0).findFirst()
                    .orElseThrow();
            int slot = owner.self().slots().nextSetBit(0);
            RedisCli.run(other.address().port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", owner.id());
            RedisCli.run(owner.address().port(), "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", other.id());
            assertThat(TestCluster.check(ports.get(0))).contains("[WARNING]");
            steps.run((Job) ops.fix("c", new FixRequest(null, null), false));
            assertThat(cluster.checksum()).isEqualTo(checksum);
        }
    }

    private static NodeState node(ClusterOperations ops, String cluster, int port) {
        return ops.planningHandle(cluster).refresh().nodes().stream().filter(n -> n.address().port() == port)
                .findFirst().orElseThrow();
    }

    private static List<String> moves(Plan plan) {
        return plan.moves().stream().map(m -> m.slot() + ":" + m.sourceId() + ">" + m.targetId()).toList();
    }

    /** Waits for a job, asserts it succeeded, then that the cluster checks clean. */
    private record Steps(JdbcJobStore store, TestCluster cluster, int port) {
        Job run(Job job) throws InterruptedException {
            TestCluster.await("job " + job.id() + " (" + job.description() + ") to finish",
                    () -> store.job(job.id()).orElseThrow().state().finished(), () -> store.log(job.id(), 10).toString());
            Job done = store.job(job.id()).orElseThrow();
            assertThat(done.state()).as(job.description() + ": " + store.log(job.id(), 15)).isEqualTo(JobState.SUCCEEDED);
            TestCluster.awaitClean(port);
            return done;
        }

        List<String> moves(Job job) {
            return store.steps(job.id()).stream().filter(s -> s.kind() == StepKind.MOVE)
                    .map(s -> s.slot() + ":" + s.nodeId() + ">" + s.peerId()).toList();
        }
    }
}
