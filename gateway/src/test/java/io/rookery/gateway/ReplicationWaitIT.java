package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.ClusterProcesses;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RedisCli;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WAIT through the gateway counts the replicas that have this client's writes, on every primary it
 * wrote to: with the replicas running it returns at least 1; with them stopped (SIGSTOP) WAIT 1 100
 * returns 0 once its timeout passed, as redis-server does for its own connection.
 */
@Tag("cluster")
class ReplicationWaitIT {

    @Test
    void waitCountsTheReplicasOfTheClientsWritesOnARealRedisCluster() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 1)) {
            exercise(cluster.seeds(), cluster.ports());
        }
    }

    @Test
    void waitCountsTheReplicasOfTheClientsWritesOnARookeryCluster() throws Exception {
        try (ClusterProcesses nodes = ClusterProcesses.start(6, 2000)) {
            String out = nodes.create(6, 1);
            assertThat(out).contains("[OK] All 16384 slots covered.");
            ClusterProcesses.awaitClean(nodes.node(0));
            List<Integer> ports = nodes.nodes().stream().map(NodeProcess::port).toList();
            ClusterUnderTest.await("every replica in sync", () -> ports.stream()
                    .filter(p -> RedisCli.run(p, "ROLE").startsWith("slave"))
                    .allMatch(p -> RedisCli.run(p, "INFO", "replication").contains("master_link_status:up")));
            exercise(ports.stream().map(p -> "127.0.0.1:" + p).toList(), ports);
        }
    }

    private static void exercise(List<String> seeds, List<Integer> ports) throws Exception {
        List<Integer> replicas = ports.stream().filter(p -> RedisCli.run(p, "ROLE").startsWith("slave")).toList();
        assertThat(replicas).hasSize(3);
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, seeds));
             Lettuce l = startAndConnect(gateway)) {
            RedisCommands<String, String> redis = l.sync();
            for (int i = 0; i < 30; i++) {
                assertThat(redis.set("wait:" + i, "v" + i)).isEqualTo("OK");
            }
            assertThat(redis.waitForReplication(1, 10_000)).isGreaterThanOrEqualTo(1L);
            List<Long> pids = replicas.stream().map(ReplicationWaitIT::pid).toList();
            signal("-STOP", pids);
            try {
                for (int i = 0; i < 30; i++) {
                    assertThat(redis.set("wait:" + i, "w" + i)).isEqualTo("OK");
                }
                assertThat(redis.waitForReplication(1, 100)).isEqualTo(0L);
                assertThat(redis.get("wait:7")).isEqualTo("w7");
            } finally {
                signal("-CONT", pids);
            }
            assertThat(redis.waitForReplication(1, 10_000)).isGreaterThanOrEqualTo(1L);
            assertThat(RedisCli.run(gateway.port(), "WAIT", "x", "0").trim())
                    .isEqualTo("ERR value is not an integer or out of range");
        }
    }

    /**
     * The client waits longer than the test's longest WAIT (10 s) may take by its own timeout, so a
     * slow acknowledgement fails WAIT's assertion, not the client's 5 s default.
     */
    private static Lettuce startAndConnect(Gateway gateway) throws Exception {
        gateway.start();
        return Lettuce.connect(RedisURI.builder().withHost("127.0.0.1").withPort(gateway.port())
                .withTimeout(Duration.ofSeconds(15)).build(), ProtocolVersion.RESP2);
    }

    private static long pid(int port) {
        for (String line : RedisCli.run(port, "INFO", "server").split("\r?\n")) {
            if (line.startsWith("process_id:")) {
                return Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        throw new AssertionError("no process_id in INFO server of " + port);
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        for (long pid : pids) {
            Process p = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
            assertThat(p.waitFor()).as("kill " + signal + " " + pid).isZero();
        }
    }
}
