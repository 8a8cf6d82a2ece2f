package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Nodes joined over the cluster bus: Rookery nodes meet and agree, redis-cli --cluster creates and
 * checks a Rookery cluster, Lettuce's cluster client reads and writes across it, and real
 * redis-server nodes share a cluster with Rookery nodes.
 */
@Tag("interop")
class ClusterBusIT {

    private static TestNode node() throws Exception {
        Path dir = Files.createTempDirectory("cluster-node");
        return TestNode.start(c -> {
            try {
                c.load("cluster-enabled", "yes");
                c.load("cluster-node-timeout", "2000");
                c.load("cluster-port", Integer.toString(RealRedis.freePort()));
                c.load("dir", dir.toString());
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int busPort(int port) {
        String nodes = RedisCli.run(port, "CLUSTER", "NODES");
        String me = nodes.lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        return Integer.parseInt(me.split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", ""));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static boolean agree(List<Integer> ports, int known) {
        for (int p : ports) {
            String info = RedisCli.run(p, "CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + known)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void threeRookeryNodesMeetShareSlotsAndServeALettuceClusterClient() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(node());
            }
            List<Integer> ports = nodes.stream().map(TestNode::port).toList();
            RedisCli.run(ports.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            RedisCli.run(ports.get(1), "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            RedisCli.run(ports.get(2), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            for (int i = 1; i < 3; i++) {
                assertThat(RedisCli.run(ports.get(0), "CLUSTER", "MEET", "127.0.0.1", ports.get(i).toString(),
                        Integer.toString(busPort(ports.get(i)))).trim()).isEqualTo("OK");
            }
            await("three nodes agreeing on a covered cluster", () -> agree(ports, 3));
            await("links both ways between every pair", () -> ports.stream().allMatch(p -> {
                String links = RedisCli.run(p, "CLUSTER", "LINKS");
                return links.lines().filter(l -> l.equals("to")).count() == 2
                        && links.lines().filter(l -> l.equals("from")).count() == 2;
            }));
            String moved = RedisCli.run(ports.get(0), "SET", "foo", "bar"); // slot 12182: the third node's
            assertThat(moved.trim()).isEqualTo("MOVED 12182 127.0.0.1:" + ports.get(2));

            RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(ports.get(0)).withTimeout(Duration.ofSeconds(5)).build());
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                for (int i = 0; i < 200; i++) {
                    c.sync().set("key:" + i, "v" + i);
                }
                for (int i = 0; i < 200; i++) {
                    assertThat(c.sync().get("key:" + i)).isEqualTo("v" + i);
                }
                assertThat(c.sync().dbsize()).isEqualTo(200);
            } finally {
                client.shutdown();
            }
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void redisCliClusterCreateBuildsARookeryClusterThatChecksClean() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(node());
            }
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> args.add("127.0.0.1:" + n.port()));
            args.add("--cluster-yes");
            String created = RedisCli.run(nodes.get(0).port(), args.toArray(String[]::new));
            assertThat(created).contains("[OK] All 16384 slots covered.");
            await("every node seeing the cluster ok", () -> agree(nodes.stream().map(TestNode::port).toList(), 3));
            String check = RedisCli.run(nodes.get(0).port(), "--cluster", "check", "127.0.0.1:" + nodes.get(1).port());
            assertThat(check).contains("[OK] All nodes agree about slots configuration.", "[OK] All 16384 slots covered.")
                    .doesNotContain("[ERR]", "[WARNING]");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void aReplicaTakesOverItsKilledPrimaryWithEveryReplicatedWrite() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                nodes.add(node());
            }
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> args.add("127.0.0.1:" + n.port()));
            args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            assertThat(RedisCli.run(nodes.get(0).port(), args.toArray(String[]::new))).contains("[OK] All 16384 slots covered.");
            List<Integer> ports = nodes.stream().map(TestNode::port).toList();
            await("six nodes agreeing", () -> agree(ports, 6));
            int slot = 12182; // "foo"
            TestNode primary = nodes.stream().filter(n -> RedisCli.run(n.port(), "CLUSTER", "NODES").lines()
                    .anyMatch(l -> l.contains("myself,master") && l.contains("10923-16383"))).findFirst().orElseThrow();
            await("the primary of slot " + slot + " having a replica", () -> RedisCli.run(primary.port(), "INFO", "replication")
                    .contains("connected_slaves:1"));
            assertThat(RedisCli.run(primary.port(), "SET", "foo", "bar").trim()).isEqualTo("OK");
            assertThat(RedisCli.run(primary.port(), "WAIT", "1", "5000").trim()).isEqualTo("1");
            int replica = ports.stream().filter(p -> RedisCli.run(p, "ROLE").contains(Integer.toString(primary.port())))
                    .findFirst().orElseThrow();
            String primaryId = RedisCli.run(primary.port(), "CLUSTER", "MYID").trim();
            await("the primary knowing its replica (the shard a shard message goes to)", () ->
                    RedisCli.run(primary.port(), "CLUSTER", "REPLICAS", primaryId).contains(":" + replica + "@"));
            io.lettuce.core.RedisClient subscriberClient = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + replica);
            try (var sub = subscriberClient.connectPubSub()) {
                java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
                sub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                    @Override
                    public void smessage(String channel, String message) {
                        heard.add(channel + ":" + message);
                    }
                });
                sub.sync().readOnly();
                sub.sync().ssubscribe("news{foo}");
                assertThat(RedisCli.run(primary.port(), "SPUBLISH", "news{foo}", "shard-wide").trim()).isEqualTo("0");
                assertThat(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("news{foo}:shard-wide");
            } finally {
                subscriberClient.shutdown();
            }
            primary.close();
            List<Integer> alive = ports.stream().filter(p -> p != primary.port()).toList();
            await("a replica serving slot " + slot + " as primary", () -> alive.stream().anyMatch(p ->
                    RedisCli.run(p, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,master") && l.contains("10923-16383"))));
            await("the cluster ok again", () -> alive.stream().allMatch(p -> RedisCli.run(p, "CLUSTER", "INFO").contains("cluster_state:ok")));
            int owner = alive.stream().filter(p -> RedisCli.run(p, "CLUSTER", "NODES").lines()
                    .anyMatch(l -> l.contains("myself,master") && l.contains("10923-16383"))).findFirst().orElseThrow();
            assertThat(RedisCli.run(owner, "GET", "foo").trim()).isEqualTo("bar");
            assertThat(RedisCli.run(owner, "SET", "foo", "baz").trim()).isEqualTo("OK");
            assertThat(RedisCli.run(alive.get(0), "-c", "GET", "foo").trim()).isEqualTo("baz");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }

    @Test
    void realRedisAndRookeryNodesFormOneCluster() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try (RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "2000",
                "--cluster-port", Integer.toString(RealRedis.freePort()))) {
            for (int i = 0; i < 2; i++) {
                nodes.add(node());
            }
            List<Integer> ports = List.of(redis.port(), nodes.get(0).port(), nodes.get(1).port());
            RedisCli.run(ports.get(0), "CLUSTER", "ADDSLOTSRANGE", "0", "5460");
            RedisCli.run(ports.get(1), "CLUSTER", "ADDSLOTSRANGE", "5461", "10922");
            RedisCli.run(ports.get(2), "CLUSTER", "ADDSLOTSRANGE", "10923", "16383");
            // Redis meets one Rookery node; the Rookery node meets the other: gossip completes the mesh
            RedisCli.run(ports.get(0), "CLUSTER", "MEET", "127.0.0.1", ports.get(1).toString(), Integer.toString(busPort(ports.get(1))));
            RedisCli.run(ports.get(1), "CLUSTER", "MEET", "127.0.0.1", ports.get(2).toString(), Integer.toString(busPort(ports.get(2))));
            await("Redis and Rookery agreeing on a covered cluster", () -> agree(ports, 3));
            String redisView = RedisCli.run(ports.get(0), "CLUSTER", "SLOTS");
            for (int p : ports) {
                assertThat(RedisCli.run(p, "CLUSTER", "SLOTS")).as("CLUSTER SLOTS on %d", p).isEqualTo(redisView);
            }
            assertThat(RedisCli.run(ports.get(0), "-c", "SET", "foo", "bar").trim()).isEqualTo("OK");
            assertThat(RedisCli.run(ports.get(2), "GET", "foo").trim()).isEqualTo("bar");
        } finally {
            nodes.forEach(TestNode::close);
        }
    }
}
