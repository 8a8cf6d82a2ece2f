package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RedisCli;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The gateway in front of three real redis-server primaries: cluster-unaware clients work through it. */
@Tag("gateway")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealRedisClusterIT extends GatewayScenarios {
    private ClusterUnderTest cluster;
    private Gateway gateway;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterUnderTest.realRedis(3, 0);
        gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()));
        gateway.start();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theGatewaysOwnPasswordGuardsItAndHelloCanAuthenticate() throws Exception {
        try (Gateway guarded = new Gateway(GatewayConfig.cluster(0, cluster.seeds()).withRequirepass("s3cret"))) {
            guarded.start();
            int port = guarded.port();
            assertThat(RedisCli.run(port, "GET", "x").trim()).isEqualTo("NOAUTH Authentication required.");
            assertThat(RedisCli.run(port, "AUTH", "nope").trim())
                    .isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
            assertThat(RedisCli.run(port, "-a", "s3cret", "--no-auth-warning", "SET", "guarded", "1").trim()).isEqualTo("OK");
            assertThat(RedisCli.run(port, "--user", "default", "--pass", "s3cret", "--no-auth-warning", "GET", "guarded").trim())
                    .isEqualTo("1");
            try (Lettuce l = Lettuce.connect(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                    .withPassword("s3cret".toCharArray()).withTimeout(Duration.ofSeconds(5)).build(), ProtocolVersion.RESP3)) {
                assertThat(l.sync().get("guarded")).isEqualTo("1");
            }
        }
        assertThat(RedisCli.run(gatewayPort(), "AUTH", "x").trim()).isEqualTo("ERR AUTH <password> called without any "
                + "password configured for the default user. Are you sure your configuration is correct?");
    }

    @Override
    int gatewayPort() {
        return gateway.port();
    }
}
