package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client writing through the gateway while the real Redis cluster behind it changes: slots resharded
 * under it (no error reaches it, no wrong reply), a primary killed (errors only inside the failover
 * window, success within 2 s of the promotion, no replicated write lost).
 */
@Tag("gateway")
class ClusterChangesIT {

    @Test
    void reshardingSlotsWhileAClientWritesSendsItNoErrorAndNoWrongReply() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 0);
             Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()))) {
            gateway.start();
            try (ContinuousWriter writer = new ContinuousWriter(gateway.port())) {
                writer.awaitMoreWrites(200);
                int from = cluster.primaryOf(0);
                int to = cluster.primaryOf(16383);
                String fromId = RedisCli.run(from, "CLUSTER", "MYID").trim();
                String toId = RedisCli.run(to, "CLUSTER", "MYID").trim();
                String out = RedisCli.run(from, "--cluster", "reshard", "127.0.0.1:" + from, "--cluster-from", fromId,
                        "--cluster-to", toId, "--cluster-slots", "1000", "--cluster-yes", "--cluster-pipeline", "10");
                assertThat(out).doesNotContain("[ERR]");
                writer.awaitMoreWrites(200);
                writer.pause();
                assertThat(writer.failures()).isEmpty();
                assertThat(writer.wrongReplies()).isEmpty();
                assertThat(gateway.topology().current().version()).isGreaterThan(1);
                assertThat(gateway.stats().redirections(GatewayStats.Redirection.MOVED)
                        + gateway.stats().redirections(GatewayStats.Redirection.ASK)).isPositive();
                try (Lettuce check = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
                    for (int i : writer.acknowledged()) {
                        assertThat(check.sync().get("w:" + i)).isEqualTo(Integer.toString(i));
                    }
                }
            }
        }
    }

    @Test
    void killingAPrimaryFailsOnlyTheFailoverWindowAndLosesNoReplicatedWrite() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 1);
             Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()))) {
            gateway.start();
            try (ContinuousWriter writer = new ContinuousWriter(gateway.port())) {
                writer.awaitMoreWrites(300);
                writer.pause();
                int victim = cluster.primaryOf(SlotHash.slot("w:1".getBytes(StandardCharsets.UTF_8)));
                awaitReplicasCaughtUp(cluster, victim);
                List<Integer> before = writer.acknowledged();
                long killedAt = System.currentTimeMillis();
                cluster.kill(victim);
                writer.resume();
                int survivor = cluster.ports().stream().filter(p -> p != victim).findFirst().orElseThrow();
                ClusterUnderTest.await("a replica promoted in place of the killed primary", () -> {
                    String nodes = RedisCli.run(survivor, "CLUSTER", "NODES");
                    return nodes.lines().anyMatch(l -> l.contains(":" + victim + "@") && l.contains("fail"))
                            && RedisCli.run(survivor, "CLUSTER", "INFO").contains("cluster_state:ok");
                });
                long promotedAt = System.currentTimeMillis();
                writer.awaitMoreWrites(200);
                writer.pause();
                for (ContinuousWriter.Failure f : writer.failures()) {
                    assertThat(f.atMillis()).as("error outside the failover window: " + f.message())
                            .isBetween(killedAt, promotedAt + 2000);
                }
                assertThat(writer.wrongReplies()).isEmpty();
                assertThat(writer.firstSuccessAtOrAfter(promotedAt)).isBetween(promotedAt, promotedAt + 2000);
                assertThat(gateway.topology().current().version()).isGreaterThan(1);
                assertThat(gateway.topology().current().ownerOf(SlotHash.slot("w:1".getBytes(StandardCharsets.UTF_8))))
                        .isNotEqualTo("127.0.0.1:" + victim);
                try (Lettuce check = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
                    for (int i : before) {
                        assertThat(check.sync().get("w:" + i)).as("write %d acknowledged and replicated before the kill", i)
                                .isEqualTo(Integer.toString(i));
                    }
                }
            }
        }
    }

    /** Waits until every replica of the primary on {@code port} has its whole replication stream. */
    private static void awaitReplicasCaughtUp(ClusterUnderTest cluster, int port) {
        ClusterUnderTest.await("the replicas to catch up", () -> {
            String info = RedisCli.run(port, "INFO", "replication");
            long offset = field(info, "master_repl_offset");
            return info.lines().filter(l -> l.startsWith("slave")).allMatch(l -> l.contains("offset=" + offset + ","))
                    && info.contains("connected_slaves:1");
        });
    }

    private static long field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> Long.parseLong(l.substring(name.length() + 1).trim()))
                .findFirst().orElse(-1L);
    }
}
