package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replica migration: when a primary loses its only replica, a replica of the primary with the most
 * replicas moves over to it (Redis's clusterHandleSlaveMigration) — not while that would leave its
 * own primary with no more than {@code cluster-migration-barrier} working replicas.
 */
@Tag("cluster")
class ReplicaMigrationIT {

    private static TestNode node() throws Exception {
        Path dir = Files.createTempDirectory("replica-migration");
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

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String myselfLine(int port) {
        return RedisCli.run(port, "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
    }

    private static String id(int port) {
        return RedisCli.run(port, "CLUSTER", "MYID").trim();
    }

    /** The ports of the nodes that see themselves as replicas of {@code primaryId}. */
    private static List<Integer> replicasOf(List<Integer> ports, String primaryId) {
        return ports.stream().filter(p -> myselfLine(p).contains("myself,slave " + primaryId)).toList();
    }

    private static boolean clean(int port) {
        String check = RedisCli.run(port, "--cluster", "check", "127.0.0.1:" + port);
        return check.contains("[OK] All nodes agree about slots configuration.") && check.contains("[OK] All 16384 slots covered.")
                && !check.contains("[ERR]") && !check.contains("[WARNING]");
    }

    @Test
    void aReplicaMovesToAnOrphanedPrimaryOnlyAboveTheMigrationBarrier() throws Exception {
        List<TestNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) {
                nodes.add(node());
            }
            List<Integer> ports = new ArrayList<>(nodes.stream().map(TestNode::port).toList());
            List<String> args = new ArrayList<>(List.of("--cluster", "create"));
            ports.subList(0, 6).forEach(p -> args.add("127.0.0.1:" + p));
            args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            assertThat(RedisCli.run(ports.get(0), args.toArray(String[]::new))).contains("[OK] All 16384 slots covered.");
            await("a clean check", () -> clean(ports.get(0)));
            int rich = ports.stream().filter(p -> myselfLine(p).contains("myself,master") && myselfLine(p).contains(" 0-")).findFirst().orElseThrow();
            int poor = ports.stream().filter(p -> myselfLine(p).contains("myself,master") && myselfLine(p).contains("-16383")).findFirst().orElseThrow();
            String richId = id(rich);
            String poorId = id(poor);
            assertThat(RedisCli.run(ports.get(0), "--cluster", "add-node", "127.0.0.1:" + ports.get(6), "127.0.0.1:" + ports.get(0),
                    "--cluster-slave", "--cluster-master-id", richId)).contains("[OK] New node added correctly.");
            await("two replicas of one primary and a clean check", () -> replicasOf(ports, richId).size() == 2 && clean(ports.get(0)));
            List<Integer> richReplicas = replicasOf(ports, richId);
            int poorReplica = replicasOf(ports, poorId).get(0);
            for (int p : richReplicas) {
                assertThat(RedisCli.run(p, "CONFIG", "SET", "cluster-migration-barrier", "2").trim()).isEqualTo("OK");
            }

            nodes.stream().filter(n -> n.port() == poorReplica).findFirst().orElseThrow().close();
            List<Integer> alive = ports.stream().filter(p -> p != poorReplica).toList();
            await("the poor primary's replica failed in every view", () -> alive.stream().allMatch(p ->
                    RedisCli.run(p, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains(":" + poorReplica + "@") && l.contains("fail")
                            && !l.contains("fail?"))));
            // past Redis's 5 s orphan delay with the barrier at 2, the primary with two replicas keeps both
            long until = System.currentTimeMillis() + ReplicaMigration.DELAY_MILLIS + 3000;
            while (System.currentTimeMillis() < until) {
                assertThat(replicasOf(alive, richId)).as("replicas of the primary at the barrier").hasSize(2);
                Thread.sleep(500);
            }

            for (int p : richReplicas) {
                RedisCli.run(p, "CONFIG", "SET", "cluster-migration-barrier", "1");
            }
            await("one replica migrated to the orphaned primary", () -> replicasOf(alive, poorId).size() == 1
                    && replicasOf(alive, richId).size() == 1);
            int migrated = replicasOf(alive, poorId).get(0);
            assertThat(richReplicas).contains(migrated);
            assertThat(migrated).isEqualTo(richReplicas.stream().min((a, b) -> id(a).compareTo(id(b))).orElseThrow());
            await("the migrated replica streaming from its new primary", () -> {
                String info = RedisCli.run(migrated, "INFO", "replication");
                return info.contains("master_port:" + poor) && info.contains("master_link_status:up");
            });
            await("every node agreeing on the new shape", () -> alive.stream().allMatch(p -> RedisCli.run(p, "CLUSTER", "NODES")
                    .lines().anyMatch(l -> l.contains(":" + migrated + "@") && l.contains("slave " + poorId))));
        } finally {
            nodes.forEach(TestNode::close);
        }
    }
}
