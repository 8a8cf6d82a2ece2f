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
import io.rookery.admin.job.StepState;
import io.rookery.admin.service.ApiModels.FixRequest;
import io.rookery.admin.service.ApiModels.JobOptions;
import io.rookery.admin.service.ApiModels.RegisterRequest;
import io.rookery.admin.service.ApiModels.ReshardRequest;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12: "a job whose node dies midway fails that step clearly, leaves the cluster consistent (or
 * says exactly which slot is open and offers the fix), and can be retried" — on real redis-server 7.0
 * (kill -9) and Rookery (the node stopped), the source or the target of a reshard dying while a slot's
 * keys are moving. The job fails naming the dead node, the open slot and the way out; the node comes
 * back on its address with its data (AOF) and nodes.conf; the job resumed (after the fix job it offers,
 * in half the cases) finishes; redis-cli --cluster check is clean and every key is in place.
 */
@Tag("admin")
class NodeDiesMidMoveIT {
    private static final int HEAVY_KEYS = 200;

    enum Victim { SOURCE, TARGET }

    /** What the operator does once the node is back: resume the job, or first run the fix job it offers. */
    enum Remedy { RESUME, FIX_THEN_RESUME }

    /** Each kind loses a source and a target; each kind and each victim sees both remedies. */
    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(TestCluster.Kind.REDIS, Victim.SOURCE, Remedy.FIX_THEN_RESUME),
                Arguments.of(TestCluster.Kind.REDIS, Victim.TARGET, Remedy.RESUME),
                Arguments.of(TestCluster.Kind.ROOKERY, Victim.SOURCE, Remedy.RESUME),
                Arguments.of(TestCluster.Kind.ROOKERY, Victim.TARGET, Remedy.FIX_THEN_RESUME));
    }

    @ParameterizedTest(name = "{0}, the {1} dies, {2}")
    @MethodSource("cases")
    void theJobFailsNamingTheNodeAndTheOpenSlotAndFinishesOnceTheNodeIsBack(TestCluster.Kind kind, Victim victim,
                                                                           Remedy remedy) throws Exception {
        DataSource db = TestDatabase.fresh();
        JdbcJobStore store = new JdbcJobStore(db);
        JdbcClusterRegistry registry = new JdbcClusterRegistry(db);
        try (TestCluster cluster = new TestCluster(kind);
             NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));
             ClusterHandles handles = new ClusterHandles(registry, connector);
             JobExecutor executor = new JobExecutor(store, handles::get, "it", Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                cluster.startNode(true);
            }
            List<Integer> ports = cluster.ports();
            cluster.createWithRedisCli(ports, 0);
            ClusterOperations ops = new ClusterOperations(registry, handles, store, executor, connector,
                    JsonMapper.builder().build());
            ops.register(new RegisterRequest("c", ports.stream().map(p -> "127.0.0.1:" + p).toList(), null, null));

            ClusterSnapshot s = handles.get("c").refresh();
            NodeState source = s.primaries().stream().filter(n -> n.self().slots().get(0)).findFirst().orElseThrow();
            NodeState target = s.primaries().stream().filter(n -> n.self().slots().get(16383)).findFirst().orElseThrow();
            // slot 0 holds 200 keys: at 40 keys/s its move is under way for five seconds
            String tag = tagOfSlot(0);
            StringBuilder heavy = new StringBuilder();
            for (int i = 0; i < HEAVY_KEYS; i++) {
                heavy.append("SET {").append(tag).append("}:").append(i).append(" heavy-").append(i).append('\n');
            }
            RedisCli.run(source.address().port(), heavy.toString().getBytes(StandardCharsets.UTF_8), "-c");
            cluster.writeKeys(100);
            String before = cluster.checksum();
            assertThat(before).startsWith((HEAVY_KEYS + 100) + ":");

            Job job = (Job) ops.reshard("c", new ReshardRequest(null, null, target.id(), List.of("0-5"),
                    new JobOptions(40L, null, 1, 4, null, null)), false);
            TestCluster.await("slot 0's keys to be moving", () -> store.steps(job.id()).stream()
                    .anyMatch(st -> st.slot() == 0 && st.state() == StepState.MOVING_KEYS && st.keysMoved() > 0),
                    () -> store.steps(job.id()).toString());
            NodeState dying = victim == Victim.SOURCE ? source : target;
            int index = ports.indexOf(dying.address().port());
            cluster.kill(index);

            TestCluster.await("the job to fail", () -> store.job(job.id()).orElseThrow().state().finished(),
                    () -> store.log(job.id(), 10).toString());
            Job failed = store.job(job.id()).orElseThrow();
            String log = store.log(job.id(), 100).stream().map(l -> l.level() + " " + l.message()).reduce("",
                    (a, b) -> a + "\n" + b);
            System.out.printf("%s, %s died: job error: %s%nlog:%s%n", kind, victim, failed.error(), log);
            String dead = dying.address().toString();
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.error()).contains("move slot 0 from " + source.id() + " to " + target.id(),
                    "node " + dying.id() + " at " + dead + " can't be reached");
            assertThat(store.steps(job.id()).stream().filter(st -> st.slot() == 0).map(JobStep::state))
                    .containsExactly(StepState.FAILED);
            String openOnLiveNode = victim == Victim.SOURCE
                    ? target.address() + " (" + target.id() + ") importing from " + dead + " (" + source.id() + ")"
                    : source.address() + " (" + source.id() + ") migrating to " + dead + " (" + target.id() + ")";
            assertThat(log).contains("ERROR node " + dying.id() + " at " + dead + " (the "
                            + victim.name().toLowerCase() + " of the move of slot 0) can't be reached",
                    "ERROR slots left open: {0=[", openOnLiveNode, // (and the dead node's side if it answered last)
                    "to finish: once " + dead + " answers again",
                    "resume job " + job.id() + " (POST /api/v1/jobs/" + job.id() + "/resume)",
                    "run a fix job (POST /api/v1/clusters/c/fix)");

            cluster.restart(index);
            awaitEveryNodeUp(ports, true);
            if (remedy == Remedy.FIX_THEN_RESUME) {
                Job fix = (Job) ops.fix("c", new FixRequest(null, null), false);
                TestCluster.await("the fix job to finish", () -> store.job(fix.id()).orElseThrow().state().finished(),
                        () -> store.log(fix.id(), 10).toString());
                assertThat(store.job(fix.id()).orElseThrow().state()).as(store.log(fix.id(), 20).toString())
                        .isEqualTo(JobState.SUCCEEDED);
                assertThat(handles.get("c").refresh().openSlots()).isEmpty();
            }
            executor.resume(job.id());
            TestCluster.await("the resumed job to finish", () -> store.job(job.id()).orElseThrow().state().finished(),
                    () -> store.log(job.id(), 10).toString());
            assertThat(store.job(job.id()).orElseThrow().state()).as(store.log(job.id(), 20).toString())
                    .isEqualTo(JobState.SUCCEEDED);
            TestCluster.awaitClean(ports.get(0));
            assertThat(handles.get("c").refresh().node(target.id()).orElseThrow().self().slots().get(0, 6).cardinality())
                    .isEqualTo(6);
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }

    /**
     * The source dies for good and its replica takes over: the job's report offers the fix job (with the
     * dead node's former replica now owning the slot, the target still importing it), then a new plan.
     * The old source, restarted, rejoins as a replica of its successor and must not keep the slot open.
     */
    @ParameterizedTest
    @EnumSource(TestCluster.Kind.class)
    void aSourceFailedOverMidMoveIsFixedThenReplanned(TestCluster.Kind kind) throws Exception {
        DataSource db = TestDatabase.fresh();
        JdbcJobStore store = new JdbcJobStore(db);
        JdbcClusterRegistry registry = new JdbcClusterRegistry(db);
        try (TestCluster cluster = new TestCluster(kind);
             NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));
             ClusterHandles handles = new ClusterHandles(registry, connector);
             JobExecutor executor = new JobExecutor(store, handles::get, "it", Duration.ofSeconds(5))) {
            for (int i = 0; i < 6; i++) {
                cluster.startNode(true);
            }
            List<Integer> ports = cluster.ports();
            cluster.createWithRedisCli(ports, 1);
            ClusterOperations ops = new ClusterOperations(registry, handles, store, executor, connector,
                    JsonMapper.builder().build());
            ops.register(new RegisterRequest("c", ports.stream().map(p -> "127.0.0.1:" + p).toList(), null, null));
            ClusterSnapshot s = handles.get("c").refresh();
            NodeState source = s.primaries().stream().filter(n -> n.self().slots().get(0)).findFirst().orElseThrow();
            NodeState target = s.primaries().stream().filter(n -> n.self().slots().get(16383)).findFirst().orElseThrow();
            NodeState heir = s.replicasOf(source.id()).get(0);
            String tag = tagOfSlot(0);
            StringBuilder heavy = new StringBuilder();
            for (int i = 0; i < HEAVY_KEYS; i++) {
                heavy.append("SET {").append(tag).append("}:").append(i).append(" heavy-").append(i).append('\n');
            }
            RedisCli.run(source.address().port(), heavy.toString().getBytes(StandardCharsets.UTF_8), "-c");
            cluster.writeKeys(100);
            TestCluster.await("the replica to have every key of slot 0", () -> RedisCli.run(heir.address().port(),
                    "CLUSTER", "COUNTKEYSINSLOT", "0").trim().equals(Integer.toString(HEAVY_KEYS)), () -> "");
            String before = cluster.checksum();

            Job job = (Job) ops.reshard("c", new ReshardRequest(null, null, target.id(), List.of("0-5"),
                    new JobOptions(40L, null, 1, 4, null, null)), false);
            TestCluster.await("slot 0's keys to be moving", () -> store.steps(job.id()).stream()
                    .anyMatch(st -> st.slot() == 0 && st.state() == StepState.MOVING_KEYS && st.keysMoved() > 0),
                    () -> store.steps(job.id()).toString());
            int index = ports.indexOf(source.address().port());
            cluster.kill(index);
            Job failed = awaitFinished(store, job.id());
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.error()).contains("node " + source.id() + " at " + source.address() + " can't be reached");
            TestCluster.await("the replica to take over", () -> RedisCli.run(heir.address().port(), "ROLE")
                    .startsWith("master"), () -> RedisCli.run(heir.address().port(), "CLUSTER", "NODES"));

            cluster.restart(index); // back as a replica of its successor
            TestCluster.await("the old source to rejoin as a replica", () -> RedisCli.run(source.address().port(), "ROLE")
                    .startsWith("slave"), () -> RedisCli.run(source.address().port(), "CLUSTER", "NODES"));
            // not cluster_state:ok yet: the target, importing slot 0, ignores its new owner's claim (as Redis
            // does) and dropped the old owner's when it turned replica, so slot 0 is unassigned in its view
            awaitEveryNodeUp(ports, false);
            Job fix = awaitFinished(store, ((Job) ops.fix("c", new FixRequest(null, null), false)).id());
            assertThat(fix.state()).as(store.log(fix.id(), 20).toString()).isEqualTo(JobState.SUCCEEDED);
            assertThat(handles.get("c").refresh().openSlots()).isEmpty();
            executor.cancel(job.id());
            Job replanned = awaitFinished(store, ((Job) ops.reshard("c", new ReshardRequest(null, null, target.id(),
                    List.of("0-5"), null), false)).id());
            assertThat(replanned.state()).as(store.log(replanned.id(), 20).toString()).isEqualTo(JobState.SUCCEEDED);
            TestCluster.awaitClean(heir.address().port());
            assertThat(handles.get("c").refresh().node(target.id()).orElseThrow().self().slots().get(0, 6).cardinality())
                    .isEqualTo(6);
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }

    private static Job awaitFinished(JdbcJobStore store, long id) throws InterruptedException {
        TestCluster.await("job " + id + " to finish", () -> store.job(id).orElseThrow().state().finished(),
                () -> store.log(id, 10).toString());
        return store.job(id).orElseThrow();
    }

    /** A hash tag whose keys all hash to {@code slot}. */
    private static String tagOfSlot(int slot) {
        for (int i = 0; ; i++) {
            if (SlotHash.slot(("t" + i).getBytes(StandardCharsets.UTF_8)) == slot) {
                return "t" + i;
            }
        }
    }

    /** Every node answers, none is flagged failing by any other, and with {@code ok} each says cluster_state:ok. */
    private static void awaitEveryNodeUp(List<Integer> ports, boolean ok) throws InterruptedException {
        String[] last = {""};
        TestCluster.await("every node to be up and see no failure", () -> {
            for (int p : ports) {
                String info = RedisCli.run(p, "CLUSTER", "INFO");
                String nodes = RedisCli.run(p, "CLUSTER", "NODES");
                last[0] = p + ": " + info.lines().findFirst().orElse("") + "\n" + nodes;
                if (!info.contains("cluster_state:") || (ok && !info.contains("cluster_state:ok")) || nodes.contains("fail")) {
                    return false;
                }
            }
            return true;
        }, () -> last[0]);
    }
}
