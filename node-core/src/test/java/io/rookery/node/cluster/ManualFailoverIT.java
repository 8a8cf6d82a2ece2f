package io.rookery.node.cluster;

import static io.rookery.node.cluster.ClusterFixture.agreeOk;
import static io.rookery.node.cluster.ClusterFixture.await;
import static io.rookery.node.cluster.ClusterFixture.id;
import static io.rookery.node.cluster.ClusterFixture.replicaOnline;
import static io.rookery.node.cluster.ClusterFixture.isPrimary;
import static io.rookery.node.cluster.ClusterFixture.meet;
import static io.rookery.node.cluster.ClusterFixture.nodesAgree;
import static io.rookery.node.cluster.ClusterFixture.replicates;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER FAILOVER without options, Redis's way: the replica asks its primary (MFSTART) to pause
 * writes, catches up to the offset the paused primary announces, then is elected and takes over.
 * Under continuous writes through Lettuce's cluster client, the roles swap, the writers see no error
 * (paused writes wait, then are redirected), and no acknowledged write is lost; also between a real
 * redis-server 7.0 and a Rookery node, in both directions. One that times out (Redis's 5 s) lets the
 * primary's held writes through and changes nothing.
 */
@Tag("cluster")
class ManualFailoverIT {

    /** Three primaries (the first serving 0-5460), and {@code replica} replicating the first. */
    private static void build(List<Integer> primaries, int replica) throws InterruptedException {
        RedisCli.run(primaries.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
        RedisCli.run(primaries.get(1), "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
        RedisCli.run(primaries.get(2), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
        meet(primaries.get(0), primaries.get(1));
        meet(primaries.get(1), primaries.get(2));
        meet(replica, primaries.get(0));
        List<Integer> all = new ArrayList<>(primaries);
        all.add(replica);
        await("four nodes agreeing on a covered cluster", () -> agreeOk(all, 4));
        String primaryId = id(primaries.get(0));
        assertThat(RedisCli.run(replica, "CLUSTER", "REPLICATE", primaryId).trim()).isEqualTo("OK");
        await("the replica online", () -> replicaOnline(primaries.get(0)));
        await("every node seeing the replica", () -> all.stream().allMatch(p ->
                RedisCli.run(p, "CLUSTER", "REPLICAS", primaryId).contains(":" + replica + "@")));
    }

    /**
     * CLUSTER FAILOVER on {@code replica} while {@code writer} writes: it becomes the primary, the
     * old primary its replica, and every node agrees.
     */
    private static void failOver(List<Integer> all, int primary, int replica, ClusterFixture.Writer writer)
            throws InterruptedException {
        writer.awaitMore(300);
        assertThat(RedisCli.run(replica, "CLUSTER", "FAILOVER").trim()).isEqualTo("OK");
        String newPrimaryId = id(replica);
        await("the replica serving as primary and its old primary replicating it", () -> isPrimary(replica)
                && replicates(primary, newPrimaryId));
        await("the old primary replicating the new one", () -> replicaOnline(replica));
        writer.awaitMore(300);
        await("every node printing the same CLUSTER NODES", () -> nodesAgree(all));
    }

    private static void assertNothingLost(ClusterFixture.Writer writer, int failovers) throws InterruptedException {
        Set<Integer> written = writer.stop();
        assertThat(writer.errors()).as("errors seen by the writer").isEmpty();
        assertThat(written).hasSizeGreaterThanOrEqualTo(600 * failovers);
        assertThat(writer.lost(written)).as("acknowledged writes that do not read back").isEmpty();
    }

    @Test
    void aRookeryReplicaTakesOverFromItsPausedPrimaryWithoutLosingAnAcknowledgedWrite() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                nodes.add(ClusterFixture.rookery());
            }
            List<Integer> ports = nodes.stream().map(TestNode::port).toList();
            build(ports.subList(0, 3), ports.get(3));
            try (ClusterFixture.Writer writer = new ClusterFixture.Writer(ports.get(1))) {
                failOver(ports, ports.get(0), ports.get(3), writer);
                assertNothingLost(writer, 1);
            }
            assertThat(RedisCli.run(ports.get(3), "CLUSTER", "INFO")).contains("cluster_state:ok");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void aManualFailoverThatTimesOutResumesThePrimarysWritesAndKeepsTheRoles() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(ClusterFixture.rookery());
            }
            nodes.add(ClusterFixture.rookery("enable-debug-command", "yes"));
            List<Integer> ports = nodes.stream().map(TestNode::port).toList();
            int primary = ports.get(0);
            int replica = ports.get(3);
            build(ports.subList(0, 3), replica);
            // the replica asks its primary to pause, then stops (its whole thread) past the 5 s timeout
            CompletableFuture<String> stalled = CompletableFuture.supplyAsync(() -> RedisCli.run(replica,
                    "CLUSTER FAILOVER\nDEBUG SLEEP 7\n".getBytes(StandardCharsets.US_ASCII)));
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(primary)
                    .withTimeout(Duration.ofSeconds(30)).build());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().set("key:{b}", "held, then written")).isEqualTo("OK"); // slot 3300: the primary's
                assertThat(stalled.get(30, TimeUnit.SECONDS)).isEqualTo("OK\nOK\n");
                assertThat(c.sync().get("key:{b}")).isEqualTo("held, then written");
            } finally {
                client.shutdown();
            }
            await("the replica answering again and still a replica", () -> replicates(replica, id(primary)));
            assertThat(isPrimary(primary)).isTrue();
            assertThat(RedisCli.run(primary, "SET", "key:{b}", "after the timeout").trim()).isEqualTo("OK");
            // nothing of the aborted attempt is left on either side: the next one goes through
            assertThat(RedisCli.run(replica, "CLUSTER", "FAILOVER").trim()).isEqualTo("OK");
            await("the replica serving as primary", () -> isPrimary(replica) && replicates(primary, id(replica)));
            assertThat(RedisCli.run(replica, "GET", "key:{b}").trim()).isEqualTo("after the timeout");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void aManualFailoverRunsFromRealRedisToRookeryAndBack() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try (RealRedis redis = ClusterFixture.redis()) {
            for (int i = 0; i < 3; i++) {
                nodes.add(ClusterFixture.rookery());
            }
            int rookeryReplica = nodes.get(0).port();
            List<Integer> primaries = List.of(redis.port(), nodes.get(1).port(), nodes.get(2).port());
            build(primaries, rookeryReplica);
            List<Integer> all = List.of(redis.port(), rookeryReplica, nodes.get(1).port(), nodes.get(2).port());
            try (ClusterFixture.Writer writer = new ClusterFixture.Writer(nodes.get(1).port())) {
                // a Rookery replica asks a paused Redis primary, then a Redis replica a paused Rookery primary
                failOver(all, redis.port(), rookeryReplica, writer);
                failOver(all, rookeryReplica, redis.port(), writer);
                assertNothingLost(writer, 2);
            }
        } finally {
            nodes.forEach(TestNode::close);
        }
    }
}
