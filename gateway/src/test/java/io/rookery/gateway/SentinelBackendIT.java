package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of a sentinel-managed primary (real redis-server and redis-sentinel processes):
 * commands reach the primary, and after kill -9 of the primary a client keeps its connection to the
 * gateway and resumes on the promoted replica.
 */
@Tag("gateway")
class SentinelBackendIT {

    @Test
    void aClientResumesOnThePromotedReplicaWithoutReconnecting() throws Exception {
        List<RealRedis> processes = new ArrayList<>();
        try {
            RealRedis primary = RealRedis.start();
            processes.add(primary);
            RealRedis replica = RealRedis.start("--replicaof", "127.0.0.1", Integer.toString(primary.port()));
            processes.add(replica);
            List<String> sentinels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RealRedis s = RealRedis.startSentinel(List.of(
                        "sentinel monitor mymaster 127.0.0.1 " + primary.port() + " 2",
                        "sentinel down-after-milliseconds mymaster 1000",
                        "sentinel failover-timeout mymaster 10000"));
                processes.add(s);
                sentinels.add("127.0.0.1:" + s.port());
            }
            int firstSentinel = Integer.parseInt(sentinels.get(0).split(":")[1]);
            ClusterUnderTest.await("the sentinels to know each other and the replica", () -> {
                String m = RedisCli.run(firstSentinel, "SENTINEL", "MASTER", "mymaster");
                return m.contains("num-other-sentinels\n2") && m.contains("num-slaves\n1");
            });
            try (Gateway gateway = new Gateway(GatewayConfig.sentinel(0, sentinels, "mymaster"))) {
                gateway.start();
                assertThat(gateway.topology().current().ownerOf(0)).isEqualTo("127.0.0.1:" + primary.port());
                try (Lettuce client = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
                    assertThat(client.sync().set("before", "1")).isEqualTo("OK");
                    assertThat(client.sync().mset(java.util.Map.of("a", "1", "b", "2"))).isEqualTo("OK");
                    assertThat(client.sync().mget("a", "b")).hasSize(2);
                    assertThat(client.sync().waitForReplication(1, 10_000)).isEqualTo(1L); // WAIT on the primary
                    ClusterUnderTest.await("the write to reach the replica",
                            () -> RedisCli.run(replica.port(), "GET", "before").trim().equals("1"));
                    primary.kill();
                    ClusterUnderTest.await("the gateway to follow the promotion",
                            () -> ("127.0.0.1:" + replica.port()).equals(gateway.topology().current().ownerOf(0)));
                    ClusterUnderTest.await("a write through the same connection to succeed", () -> {
                        try {
                            return "OK".equals(client.sync().set("after", "2"));
                        } catch (RuntimeException e) {
                            return false;
                        }
                    });
                    assertThat(client.sync().get("before")).isEqualTo("1");
                    assertThat(RedisCli.run(replica.port(), "GET", "after").trim()).isEqualTo("2");
                }
            }
        } finally {
            processes.forEach(RealRedis::close);
        }
    }
}
