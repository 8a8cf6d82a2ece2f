package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;

/**
 * The limits a Redis server has, kept by the gateway for its own clients and compared with a real
 * redis-server configured alike: maxclients (Redis's error, then the connection closed) and
 * client-output-buffer-limit for pub/sub clients (hard limit; soft limit held for its seconds) and for
 * normal clients.
 */
@Tag("gateway")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientLimitsIT {
    private ClusterUnderTest cluster;

    @BeforeAll
    void start() {
        cluster = ClusterUnderTest.realRedis(3, 0);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void pastMaxclientsAClientGetsRedisErrorAndIsClosed() throws Exception {
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()).withMaxClients(2));
             RealRedis redis = RealRedis.start("--maxclients", "2")) {
            gateway.start();
            for (int port : new int[]{gateway.port(), redis.port()}) {
                try (Jedis a = new Jedis("127.0.0.1", port); Jedis b = new Jedis("127.0.0.1", port)) {
                    assertThat(a.ping()).isEqualTo("PONG");
                    assertThat(b.ping()).isEqualTo("PONG");
                    RawConnection third = new RawConnection(port);
                    assertThat(new String(third.readReplyBytes(), StandardCharsets.US_ASCII)).as("port " + port)
                            .isEqualTo("-ERR max number of clients reached\r\n");
                    ClusterUnderTest.await("the refused connection to be closed", () -> closed(third));
                    third.close();
                }
            }
            ClusterUnderTest.await("the gateway to count no client", () -> gateway.clients().size() == 0);
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsCutOffAtTheHardLimit() throws Exception {
        OutputBufferLimit pubsub = OutputBufferLimit.parse("256kb 0 0");
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds())
                .withOutputLimits(OutputBufferLimit.NORMAL_DEFAULT, pubsub));
             RealRedis redis = RealRedis.start("--client-output-buffer-limit", "pubsub", "256kb", "0", "0")) {
            gateway.start();
            for (int port : new int[]{gateway.port(), redis.port()}) {
                cutOffWhileSubscribed(port);
            }
            assertThat(new Jedis("127.0.0.1", gateway.port()).info("stats"))
                    .contains("client_output_buffer_limit_disconnections:1\r\n");
        }
    }

    @Test
    void aSubscriberOverTheSoftLimitForItsSecondsIsCutOff() throws Exception {
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds())
                .withOutputLimits(OutputBufferLimit.NORMAL_DEFAULT, OutputBufferLimit.parse("0 128kb 1")));
             RealRedis redis = RealRedis.start("--client-output-buffer-limit", "pubsub", "0", "128kb", "1")) {
            gateway.start();
            for (int port : new int[]{gateway.port(), redis.port()}) {
                cutOffWhileSubscribed(port);
            }
        }
    }

    @Test
    void aNormalClientThatDoesNotReadIsCutOffAtItsLimit() throws Exception {
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds())
                .withOutputLimits(OutputBufferLimit.parse("1mb 0 0"), OutputBufferLimit.PUBSUB_DEFAULT));
             RealRedis redis = RealRedis.start("--client-output-buffer-limit", "normal", "1mb", "0", "0")) {
            gateway.start();
            for (int port : new int[]{gateway.port(), redis.port()}) {
                try (Jedis admin = new Jedis("127.0.0.1", port); RawConnection greedy = new RawConnection(port)) {
                    admin.set("limits:big", "x".repeat(100_000));
                    admin.clientSetname("admin");
                    StringBuilder gets = new StringBuilder();
                    for (int i = 0; i < 400; i++) {
                        gets.append("GET limits:big\r\n");
                    }
                    greedy.sendRaw(gets.toString().getBytes(StandardCharsets.US_ASCII));
                    ClusterUnderTest.await("port " + port + " to cut off the client that does not read",
                            () -> admin.clientList(ClientType.NORMAL).lines().count() == 1);
                }
            }
        }
    }

    /** A subscriber that stops reading while messages are published until the server lets it go. */
    private static void cutOffWhileSubscribed(int port) throws Exception {
        try (RawConnection sub = new RawConnection(port); Jedis pub = new Jedis("127.0.0.1", port)) {
            sub.sendRaw("SUBSCRIBE limits:big\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(sub.readReplyBytes(), StandardCharsets.US_ASCII)).contains("subscribe");
            String payload = "m".repeat(10_000);
            ClusterUnderTest.await("port " + port + " to cut off the subscriber that does not read", () -> {
                for (int i = 0; i < 20; i++) {
                    pub.publish("limits:big", payload);
                }
                return pub.clientList(ClientType.PUBSUB).isBlank();
            });
        }
    }

    private static boolean closed(RawConnection c) {
        try {
            return c.isClosedByPeer();
        } catch (Exception e) {
            return true;
        }
    }
}
