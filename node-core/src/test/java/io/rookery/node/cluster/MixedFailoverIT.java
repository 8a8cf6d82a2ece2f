package io.rookery.node.cluster;

import static io.rookery.node.cluster.ClusterFixture.agreeOk;
import static io.rookery.node.cluster.ClusterFixture.await;
import static io.rookery.node.cluster.ClusterFixture.id;
import static io.rookery.node.cluster.ClusterFixture.replicaOnline;
import static io.rookery.node.cluster.ClusterFixture.setAndWait;
import static io.rookery.node.cluster.ClusterFixture.meet;
import static io.rookery.node.cluster.ClusterFixture.nodesAgree;
import static io.rookery.node.cluster.ClusterFixture.serves;
import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failover by kill -9 in a cluster of real redis-server 7.0 and Rookery nodes: a Redis primary fails
 * over to its Rookery replica, then a Rookery primary (a child JVM) to its Redis replica. Each new
 * primary has every write replicated before the kill and takes writes, and afterwards every live node
 * prints the same CLUSTER NODES (the dead ones failed, slotless primaries).
 */
@Tag("cluster")
class MixedFailoverIT {

    @Test
    void redisFailsOverToRookeryAndRookeryToRedisAndEveryNodeAgrees() throws Exception {
        try (RealRedis redisPrimary = ClusterFixture.redis();
             RealRedis redisReplica = ClusterFixture.redis();
             NodeProcess rookeryPrimary = ClusterFixture.rookeryProcess();
             TestNode rookeryReplica = ClusterFixture.rookery();
             TestNode third = ClusterFixture.rookery()) {
            int r1 = redisPrimary.port();
            int r2 = redisReplica.port();
            int n1 = rookeryPrimary.port();
            int t2 = rookeryReplica.port();
            int t = third.port();
            RedisCli.run(r1, "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            RedisCli.run(n1, "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            RedisCli.run(t, "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            meet(r1, n1);
            meet(n1, t);
            meet(t2, r1);
            meet(r2, t);
            List<Integer> all = List.of(r1, r2, n1, t2, t);
            await("five nodes agreeing on a covered cluster", () -> agreeOk(all, 5));
            assertThat(RedisCli.run(t2, "CLUSTER", "REPLICATE", id(r1)).trim()).isEqualTo("OK");
            assertThat(RedisCli.run(r2, "CLUSTER", "REPLICATE", id(n1)).trim()).isEqualTo("OK");
            await("both replicas online", () -> replicaOnline(r1) && replicaOnline(n1));
            await("every node knowing both replicas", () -> all.stream().allMatch(p -> RedisCli.run(p, "CLUSTER", "NODES")
                    .lines().filter(l -> l.split(" ")[2].contains("slave")).count() == 2));

            String inRedisShard = "key:{b}"; // slot 3300
            String inRookeryShard = "key:{c}"; // slot 7365
            assertThat(setAndWait(r1, inRedisShard, "from-redis")).isEqualTo(1);
            redisPrimary.kill();
            await("the Rookery replica serving 0-5460", () -> serves(t2, "0-5460"));
            assertThat(RedisCli.run(t2, "GET", inRedisShard).trim()).isEqualTo("from-redis");
            assertThat(RedisCli.run(t2, "SET", inRedisShard, "on-rookery").trim()).isEqualTo("OK");
            List<Integer> alive = List.of(r2, n1, t2, t);
            await("the four live nodes printing the same CLUSTER NODES", () -> nodesAgree(alive));

            assertThat(setAndWait(n1, inRookeryShard, "from-rookery")).isEqualTo(1);
            rookeryPrimary.kill();
            await("the Redis replica serving 5461-10922", () -> serves(r2, "5461-10922"));
            assertThat(RedisCli.run(r2, "GET", inRookeryShard).trim()).isEqualTo("from-rookery");
            assertThat(RedisCli.run(r2, "SET", inRookeryShard, "on-redis").trim()).isEqualTo("OK");
            List<Integer> survivors = List.of(r2, t2, t);
            await("the cluster ok on the three survivors", () -> survivors.stream()
                    .allMatch(p -> RedisCli.run(p, "CLUSTER", "INFO").contains("cluster_state:ok")));
            await("the three survivors printing the same CLUSTER NODES", () -> nodesAgree(survivors));
            String nodes = RedisCli.run(t, "CLUSTER", "NODES");
            assertThat(nodes.lines().filter(l -> l.contains("master,fail ")).count()).as(nodes).isEqualTo(2);
            assertThat(RedisCli.run(t, "-c", "GET", inRedisShard).trim()).isEqualTo("on-rookery");
            assertThat(RedisCli.run(t, "-c", "GET", inRookeryShard).trim()).isEqualTo("on-redis");
        }
    }
}
