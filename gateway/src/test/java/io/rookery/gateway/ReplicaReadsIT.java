package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With read-from-replicas, read-only commands are served by a replica, and by the primary once it is gone. */
@Tag("gateway")
class ReplicaReadsIT {

    @Test
    void readsGoToTheReplicaAndFallBackToThePrimaryWhenItDies() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 1);
             Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()).withReadFromReplicas(true))) {
            gateway.start();
            int primary = cluster.primaryOf(SlotHash.slot("r:1".getBytes(StandardCharsets.UTF_8)));
            String primaryId = RedisCli.run(primary, "CLUSTER", "MYID").trim();
            int replica = cluster.ports().stream()
                    .filter(p -> RedisCli.run(p, "ROLE").contains(Integer.toString(primary))
                            && RedisCli.run(p, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,slave " + primaryId)))
                    .findFirst().orElseThrow();
            ClusterUnderTest.await("the gateway to know the replica",
                    () -> gateway.topology().current().replicasOf("127.0.0.1:" + primary).contains("127.0.0.1:" + replica));
            try (Lettuce l = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
                assertThat(l.sync().set("r:1", "v")).isEqualTo("OK");
                ClusterUnderTest.await("the replica to serve the value through the gateway", () -> "v".equals(l.sync().get("r:1")));
                assertThat(RedisCli.run(replica, "INFO", "commandstats")).contains("cmdstat_get:calls=");
                cluster.kill(replica);
                for (int i = 0; i < 50; i++) {
                    assertThat(l.sync().get("r:1")).isEqualTo("v");
                }
            }
        }
    }
}
