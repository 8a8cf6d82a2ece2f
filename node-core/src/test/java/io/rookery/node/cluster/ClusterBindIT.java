package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code bind} addresses of a node in cluster mode, for the client listener and the cluster bus,
 * next to a real redis-server configured the same way: an optional address the machine does not have
 * ({@code -192.0.2.1}, a documentation address) is skipped, {@code * -::*} (Redis's default) listens
 * on IPv4 and IPv6, and a bus port that cannot be bound stops the start with Redis's words.
 */
@Tag("cluster")
class ClusterBindIT {

    @Test
    void anOptionalAddressTheMachineLacksIsSkippedByTheClientListenerAndTheBusAsByRedis() throws Exception {
        String bind = "127.0.0.1 -192.0.2.1";
        try (TestNode rookery = ClusterFixture.rookery("bind", bind);
             RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", ClusterFixture.NODE_TIMEOUT,
                     "--cluster-port", Integer.toString(RealRedis.freePort()), "--bind", bind)) {
            assertThat(RedisCli.run(rookery.port(), "CONFIG", "GET", "bind")).isEqualTo(RedisCli.run(redis.port(), "CONFIG", "GET", "bind"));
            ClusterFixture.meet(redis.port(), rookery.port());
            ClusterFixture.await("both nodes knowing each other over their buses", () ->
                    RedisCli.run(rookery.port(), "CLUSTER", "INFO").contains("cluster_known_nodes:2")
                            && RedisCli.run(redis.port(), "CLUSTER", "INFO").contains("cluster_known_nodes:2")
                            && !RedisCli.run(redis.port(), "CLUSTER", "NODES").contains("handshake")
                            && !RedisCli.run(rookery.port(), "CLUSTER", "NODES").contains("handshake"));
        }
    }

    @Test
    void bindStarAndOptionalIpv6AnyListensOnBothFamiliesForClientsAndTheBusAsRedis() throws Exception {
        String bind = "* -::*";
        try (TestNode rookery = ClusterFixture.rookery("bind", bind);
             RealRedis redis = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", Integer.toString(RealRedis.freePort()),
                     "--bind", bind)) {
            for (int port : List.of(rookery.port(), redis.port())) {
                int bus = ClusterFixture.busPort(port);
                for (String host : List.of("127.0.0.1", "::1")) {
                    assertThat(accepts(host, port)).as("client port %d at %s", port, host).isTrue();
                    assertThat(accepts(host, bus)).as("bus port %d at %s", bus, host).isTrue();
                }
            }
        }
    }

    @Test
    void aBusPortThatCannotBeBoundStopsTheStartAsInRedis() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            String busPort = Integer.toString(taken.getLocalPort());
            assertThatThrownBy(() -> ClusterFixture.rookery("cluster-port", busPort).close())
                    .hasMessageContaining("Could not create server TCP listening socket 127.0.0.1:" + busPort)
                    .hasMessageContaining("Failed listening on port " + busPort + " (cluster), aborting.");
            Throwable redisFailure = null;
            try (RealRedis unexpected = RealRedis.start("--cluster-enabled", "yes", "--cluster-port", busPort)) {
                throw new AssertionError("redis-server started with its bus port taken");
            } catch (IllegalStateException e) {
                redisFailure = e;
            }
            String message = redisFailure.getMessage();
            Path log = Path.of(message.substring(message.indexOf("(log in ") + 8, message.lastIndexOf(')'))).resolve("redis.log");
            assertThat(Files.readString(log))
                    .contains("Could not create server TCP listening socket 127.0.0.1:" + busPort)
                    .contains("Failed listening on port " + busPort + " (cluster), aborting.");
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
