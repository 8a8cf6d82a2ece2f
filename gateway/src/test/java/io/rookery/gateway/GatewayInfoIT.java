package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * INFO through the gateway: the Keyspace section sums the primaries (as one redis-server holding the
 * same keys shows it), and the Clients section has redis-server's fields with the gateway's own figures.
 */
@Tag("gateway")
class GatewayInfoIT {

    @Test
    void keyspaceAndClientsOverARealRedisCluster() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.realRedis(3, 0)) {
            check(cluster);
        }
    }

    @Test
    void keyspaceAndClientsOverARookeryCluster() throws Exception {
        try (ClusterUnderTest cluster = ClusterUnderTest.rookery(3, 0)) {
            check(cluster);
        }
    }

    private static void check(ClusterUnderTest cluster) throws Exception {
        try (Gateway gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()));
             RealRedis single = RealRedis.start()) {
            gateway.start();
            assertThat(RedisCli.run(gateway.port(), "INFO", "keyspace").trim()).isEqualTo("# Keyspace");
            try (Jedis g = new Jedis("127.0.0.1", gateway.port()); Jedis r = new Jedis("127.0.0.1", single.port())) {
                for (int i = 0; i < 40; i++) {
                    for (Jedis j : List.of(g, r)) {
                        if (i % 4 == 0) {
                            j.setex("ks:" + i, 1000, "v");
                        } else {
                            j.set("ks:" + i, "v");
                        }
                    }
                }
                String ours = dbLine(g.info("keyspace"));
                String theirs = dbLine(r.info("keyspace"));
                assertThat(ours).startsWith("db0:keys=40,expires=10,avg_ttl=");
                assertThat(ours.substring(0, ours.indexOf(",avg_ttl")))
                        .isEqualTo(theirs.substring(0, theirs.indexOf(",avg_ttl")));
                long avgTtl = Long.parseLong(ours.substring(ours.indexOf("avg_ttl=") + 8));
                assertThat(avgTtl).isBetween(0L, 1_000_000L);
                assertThat(g.info()).contains("# Keyspace\r\ndb0:keys=40,expires=10,").contains("# Server");

                String clients = g.info("clients");
                assertThat(fieldNames(clients).subList(0, 8)).isEqualTo(fieldNames(r.info("clients")));
                assertThat(clients).contains("connected_clients:1\r\n").contains("maxclients:10000\r\n")
                        .contains("blocked_clients:0\r\n");
                try (Jedis blocked = new Jedis("127.0.0.1", gateway.port())) {
                    Thread popper = new Thread(() -> blocked.blpop(0, "ks:nothing-here"));
                    popper.start();
                    ClusterUnderTest.await("INFO to count the blocked client",
                            () -> g.info("clients").contains("blocked_clients:1\r\n"));
                    assertThat(g.info("clients")).contains("connected_clients:2\r\n");
                    g.lpush("ks:nothing-here", "x");
                    popper.join(10_000);
                    assertThat(popper.isAlive()).isFalse();
                }
            }
        }
    }

    private static String dbLine(String info) {
        return info.lines().filter(l -> l.startsWith("db0:")).findFirst().orElseThrow(() -> new AssertionError(info));
    }

    private static List<String> fieldNames(String info) {
        return info.lines().filter(l -> l.contains(":")).map(l -> l.substring(0, l.indexOf(':'))).toList();
    }
}
