package io.rookery.admin.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.store.JdbcJobStore;
import io.rookery.admin.store.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node that lost its half of a handshake (it dropped the MEET sender after the node timeout, as a node
 * busy starting on a loaded machine does, while the sender finished its half) is told to MEET again by
 * the wait for every node to know every other, so a create job finishes instead of giving up after 60 s
 * with the node alone for good. The lost half is made with CLUSTER FORGET on one side only, on real
 * Redis 7.0 and on Rookery.
 */
@Tag("admin")
class LostHandshakeIT {

    @ParameterizedTest
    @EnumSource(TestCluster.Kind.class)
    void aNodeThatForgotItsPeerIsMadeToMeetItAgain(TestCluster.Kind kind) throws Exception {
        try (TestCluster cluster = new TestCluster(kind)) {
            int a = cluster.startNode();
            int b = cluster.startNode();
            cluster.cli(a, "cluster", "meet", "127.0.0.1", Integer.toString(b), busPort(cluster, b));
            String idA = cluster.cli(a, "cluster", "myid").trim();
            String idB = cluster.cli(b, "cluster", "myid").trim();
            TestCluster.await("the two nodes to know each other",
                    () -> knows(cluster, a, idB) && knows(cluster, b, idA), () -> cluster.cli(b, "cluster", "nodes"));
            assertThat(cluster.cli(b, "cluster", "forget", idA).trim()).isEqualTo("OK");
            assertThat(knows(cluster, b, idA)).isFalse();
            assertThat(knows(cluster, a, idB)).isTrue(); // a goes on pinging b, which ignores a stranger's gossip

            JdbcJobStore store = new JdbcJobStore(TestDatabase.fresh());
            try (ClusterHandle handle = cluster.handle("c1");
                 JobExecutor executor = new JobExecutor(store, n -> handle, "one", Duration.ofSeconds(2))) {
                Job job = store.create(new Job(0, "c1", "create", "await joined", JobState.PENDING, JobParams.DEFAULTS,
                        null, Instant.now(), null, null, null), List.of(JobStep.of(StepKind.AWAIT_JOINED, -1, null, null, null)));
                executor.start(job.id());
                TestCluster.await("the job to finish",
                        () -> store.job(job.id()).orElseThrow().state() != JobState.PENDING
                                && store.job(job.id()).orElseThrow().state() != JobState.RUNNING,
                        () -> store.job(job.id()) + " " + store.log(job.id(), 10));
                assertThat(store.job(job.id()).orElseThrow().state()).as(() -> store.log(job.id(), 10).toString())
                        .isEqualTo(JobState.SUCCEEDED);
                assertThat(store.log(job.id(), 20)).anyMatch(l -> l.message().contains("CLUSTER MEET"));
            }
            assertThat(knows(cluster, b, idA)).isTrue();
        }
    }

    /** The node's cluster bus port, from its own CLUSTER NODES line ({@code ip:port@busport}). */
    private static String busPort(TestCluster cluster, int port) {
        String myself = cluster.cli(port, "cluster", "nodes").lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        return myself.split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", "");
    }

    /** {@code port}'s CLUSTER NODES lists {@code id}, handshake done. */
    private static boolean knows(TestCluster cluster, int port, String id) {
        return cluster.cli(port, "cluster", "nodes").lines()
                .anyMatch(l -> l.startsWith(id + " ") && !l.contains("handshake"));
    }
}
