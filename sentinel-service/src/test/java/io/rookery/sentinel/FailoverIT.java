package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario tests on loopback: three sentinels (quorum 2, down-after-milliseconds 1000) watching a
 * primary with two replicas, all Rookery, all in this process.
 */
@Tag("sentinel")
class FailoverIT {
    private static final Duration DISCOVERY = Duration.ofSeconds(20);

    /** Primary and two replicas; then three sentinels that found each other and both replicas. */
    private static Topology standard(Topology t) {
        TestNode primary = t.startNode(0, 0, c -> { });
        t.startNode(0, primary.port(), c -> { });
        t.startNode(0, primary.port(), c -> { });
        for (int i = 0; i < 3; i++) {
            t.startSentinel(primary.port(), 2, 1000);
        }
        t.awaitDiscovery(2, DISCOVERY);
        return t;
    }

    @Test
    void killingThePrimaryPromotesExactlyOneReplicaAndTheOldPrimaryRejoinsAsAReplica() throws Exception {
        try (Topology t = standard(new Topology())) {
            TestNode primary = t.nodes.get(0);
            int oldPort = primary.port();
            for (Path file : t.sentinelFiles) { // what they found is kept for restarts
                assertThat(java.nio.file.Files.readAllLines(file).stream()
                        .filter(l -> l.startsWith("sentinel known-sentinel mymaster 127.0.0.1 "))).hasSize(2);
                assertThat(java.nio.file.Files.readAllLines(file).stream()
                        .filter(l -> l.startsWith("sentinel known-replica mymaster 127.0.0.1 "))).hasSize(2);
            }
            try (RawConnection c = new RawConnection(oldPort)) {
                c.call("SET", "before", "failover");
            }
            Topology.await("the write to reach both replicas", Duration.ofSeconds(5), () ->
                    t.nodes.subList(1, 3).stream().allMatch(r -> r.node().call(() -> r.node().parts().keyspace().db(0).size()).join() == 1));
            primary.close();

            Topology.await("+switch-master on every sentinel", Duration.ofSeconds(30), () ->
                    t.events.stream().filter(r -> r.event().type().equals("+switch-master")).map(Topology.Recorded::sentinel)
                            .distinct().count() == 3);
            List<TestNode> replicas = List.copyOf(t.nodes.subList(1, 3));
            Topology.await("one new primary", Duration.ofSeconds(10), () ->
                    replicas.stream().filter(r -> !Topology.isReplica(r)).count() == 1);
            TestNode promoted = replicas.stream().filter(r -> !Topology.isReplica(r)).findFirst().orElseThrow();
            TestNode other = replicas.stream().filter(r -> r != promoted).findFirst().orElseThrow();
            assertThat(t.events("+elected-leader")).hasSize(1);
            assertThat(t.events("+promoted-slave")).hasSize(1);
            int leader = t.events.stream().filter(r -> r.event().type().equals("+elected-leader")).findFirst()
                    .orElseThrow().sentinel();
            List<String> leaderEvents = t.events.stream().filter(r -> r.sentinel() == leader)
                    .map(r -> r.event().type()).toList();
            assertThat(leaderEvents).containsSubsequence("+sdown", "+odown", "+new-epoch", "+try-failover",
                    "+elected-leader", "+failover-state-select-slave", "+selected-slave",
                    "+failover-state-send-slaveof-noone", "+failover-state-wait-promotion", "+promoted-slave",
                    "+failover-state-reconf-slaves", "+slave-reconf-sent", "+slave-reconf-inprog",
                    "+slave-reconf-done", "+failover-end", "+switch-master");
            for (Sentinel s : t.sentinels) {
                MasterView m = s.master(Topology.MASTER).join();
                assertThat(m.port()).isEqualTo(promoted.port());
            }
            Topology.await("the other replica to follow the new primary", Duration.ofSeconds(10), () -> {
                Map<String, String> info = Topology.replicationInfo(other);
                return info.get("master_port").equals(Integer.toString(promoted.port()))
                        && info.get("master_link_status").equals("up");
            });
            try (RawConnection c = new RawConnection(promoted.port())) {
                assertThat(c.call("GET", "before")).isEqualTo(new RespValue.BulkString("failover".getBytes()));
                assertThat(c.call("SET", "after", "yes")).isEqualTo(new RespValue.SimpleString("OK"));
            }

            // the old primary comes back, still believing it is a primary: the sentinels turn it into a replica
            TestNode back = t.startNode(oldPort, 0, c -> { });
            Topology.await("the old primary to become a replica of the new one", Duration.ofSeconds(30), () -> {
                if (!Topology.isReplica(back)) {
                    return false;
                }
                Map<String, String> info = Topology.replicationInfo(back);
                return info.get("master_port").equals(Integer.toString(promoted.port()))
                        && info.get("master_link_status").equals("up");
            });
            assertThat(t.events("+convert-to-slave")).isNotEmpty();
            assertThat(replicas.stream().filter(r -> !Topology.isReplica(r)).count()).isEqualTo(1);
        }
    }

    @Test
    void withOnlyOneSentinelOfThreeAliveNoFailoverHappens() throws Exception {
        try (Topology t = standard(new Topology())) {
            t.sentinels.get(1).stop();
            t.sentinels.get(2).stop();
            t.nodes.get(0).close();
            Topology.await("the remaining sentinel to see the primary down", Duration.ofSeconds(10), () ->
                    !t.events("+sdown").stream().filter(e -> e.message().startsWith("master ")).toList().isEmpty());
            Thread.sleep(5000); // ask periods pass, no quorum ever forms
            assertThat(t.events("+odown")).isEmpty();
            assertThat(t.events("+try-failover")).isEmpty();
            assertThat(t.events("+switch-master")).isEmpty();
            for (TestNode r : t.nodes.subList(1, 3)) {
                assertThat(Topology.isReplica(r)).isTrue();
            }
            try (RawConnection c = new RawConnection(t.sentinels.get(0).port())) {
                assertThat(c.call("SENTINEL", "CKQUORUM", Topology.MASTER)).isInstanceOf(RespValue.Error.class);
            }
        }
    }

    @Test
    void theOldPrimaryCutOffByAPartitionStopsAcceptingWritesWithMinReplicasToWrite() throws Exception {
        try (Topology t = new Topology()) {
            TestNode primary = t.startNode(0, 0, c -> {
                try {
                    c.load("min-replicas-to-write", "1");
                    c.load("min-replicas-max-lag", "2");
                } catch (io.rookery.node.config.ConfigException e) {
                    throw new IllegalStateException(e);
                }
            });
            // replicas and sentinels reach the primary through a link we can cut; the client does not
            try (TcpProxy network = TcpProxy.to(primary.port())) {
                t.startNode(0, network.port(), c -> { });
                t.startNode(0, network.port(), c -> { });
                for (int i = 0; i < 3; i++) {
                    t.startSentinel(network.port(), 2, 1000);
                }
                t.awaitDiscovery(2, DISCOVERY);
                try (RawConnection client = new RawConnection(primary.port())) {
                    Topology.await("the primary to count its replicas", Duration.ofSeconds(10), () -> {
                        try {
                            return client.call("SET", "k", "v1").equals(new RespValue.SimpleString("OK"));
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                    network.cut();
                    Topology.await("a failover on the majority side", Duration.ofSeconds(30), () ->
                            t.events("+switch-master").size() >= 3);
                    RespValue refused = client.call("SET", "k", "v2");
                    assertThat(refused).isEqualTo(new RespValue.Error("NOREPLICAS Not enough good replicas to write."));
                    assertThat(client.call("GET", "k")).isEqualTo(new RespValue.BulkString("v1".getBytes()));
                }
                assertThat(t.nodes.subList(1, 3).stream().filter(r -> !Topology.isReplica(r)).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void aLettuceSentinelClientKeepsWritingAndWritesAfterTheSwitchLandOnTheNewPrimary() throws Exception {
        try (Topology t = standard(new Topology())) {
            RedisURI uri = RedisURI.Builder.sentinel("127.0.0.1", t.sentinels.get(0).port(), Topology.MASTER)
                    .withSentinel("127.0.0.1", t.sentinels.get(1).port())
                    .withSentinel("127.0.0.1", t.sentinels.get(2).port())
                    .withTimeout(Duration.ofSeconds(1))
                    .build();
            ClientResources resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
            RedisClient client = RedisClient.create(resources, uri);
            record Ack(int i, long at) {
            }
            List<Ack> acks = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().info("server")).contains("tcp_port:" + t.nodes.get(0).port());
                Thread writer = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            connection.sync().set("k" + i, "v" + i);
                            acks.add(new Ack(i, System.currentTimeMillis()));
                        } catch (RedisException e) {
                            // the primary is gone for a moment: keep going
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                writer.start();
                Topology.await("writes before the failover", Duration.ofSeconds(10), () -> acks.size() >= 20);
                t.nodes.get(0).close();
                Topology.await("+switch-master", Duration.ofSeconds(30), () -> !t.events("+switch-master").isEmpty());
                long switchedAt = t.events("+switch-master").get(0).atMillis();
                Topology.await("writes after the switch", Duration.ofSeconds(20), () ->
                        acks.stream().filter(a -> a.at() > switchedAt).count() >= 20);
                stop.set(true);
                writer.join();
            } finally {
                client.shutdown();
                resources.shutdown();
            }
            TestNode promoted = t.nodes.subList(1, 3).stream().filter(r -> !Topology.isReplica(r)).findFirst().orElseThrow();
            List<Ack> afterSwitch = acks.stream().filter(a -> a.at() > t.events("+switch-master").get(0).atMillis()).toList();
            try (RawConnection c = new RawConnection(promoted.port())) {
                for (Ack a : afterSwitch) {
                    assertThat(c.call("GET", "k" + a.i())).isEqualTo(new RespValue.BulkString(("v" + a.i()).getBytes()));
                }
            }
        }
    }
}
