package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RedisCli;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A backend that stops answering: the requests waiting on it get an error once the request timeout
 * passes (never a hang, never a wrong reply), other primaries keep answering other clients meanwhile,
 * and the backend serves again once it answers.
 */
@Tag("gateway")
class BackendFailuresIT {

    @Test
    void aSilentBackendAnswersItsRequestsWithAnErrorWithinTheTimeoutWhileOthersServe() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 0);
             Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()).withRequestTimeoutMillis(500))) {
            gateway.start();
            String stuckKey = "stuck";
            int stuck = cluster.primaryOf(SlotHash.slot(stuckKey.getBytes(StandardCharsets.UTF_8)));
            String freeKey = null;
            for (int i = 0; freeKey == null; i++) {
                if (cluster.primaryOf(SlotHash.slot(("free" + i).getBytes(StandardCharsets.UTF_8))) != stuck) {
                    freeKey = "free" + i;
                }
            }
            try (Lettuce a = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2);
                 Lettuce b = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
                assertThat(a.sync().set(stuckKey, "v")).isEqualTo("OK");
                assertThat(RedisCli.run(stuck, "CLIENT", "PAUSE", "4000", "ALL").trim()).isEqualTo("OK");
                CompletableFuture<String> waiting = a.connection().async().get(stuckKey).toCompletableFuture();
                assertThat(b.sync().set(freeKey, "served")).isEqualTo("OK");
                assertThat(b.sync().get(freeKey)).isEqualTo("served");
                assertThatThrownBy(() -> waiting.get(3, TimeUnit.SECONDS))
                        .hasMessageContaining("did not answer within 500 ms");
                ClusterUnderTest.await("the paused backend to serve again", () -> {
                    try {
                        return "v".equals(a.sync().get(stuckKey));
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
            }
        }
    }
}
