package io.rookery.service;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.node.RookeryNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A node in cluster mode behind the service shell: the REST view of the cluster, its slot table and its metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.node.port=0",
        "rookery.node.bind=127.0.0.1",
        "rookery.node.admin-token=let-me-in",
        "rookery.node.directives.save=",
        "rookery.node.directives.cluster-enabled=yes"
})
@AutoConfigureWebTestClient
class ClusterServiceIT {
    @DynamicPropertySource
    static void ownDataDirectoryAndBusPort(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("rookery-cluster-service-it");
        registry.add("rookery.node.directives.dir", dir::toString);
        try (ServerSocket s = new ServerSocket(0)) {
            int bus = s.getLocalPort();
            registry.add("rookery.node.directives.cluster-port", () -> Integer.toString(bus));
        }
    }

    @Autowired
    WebTestClient web;
    @Autowired
    RookeryNode node;

    @Test
    void theClusterViewFollowsSlotAssignment() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + node.port());
        String myself;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            myself = c.sync().clusterMyId();
            web.get().uri("/api/v1/cluster").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.myself").isEqualTo(myself)
                    .jsonPath("$.ok").isEqualTo(false)
                    .jsonPath("$.knownNodes").isEqualTo(1)
                    .jsonPath("$.nodes[0].flags[0]").isEqualTo("myself")
                    .jsonPath("$.nodes[0].flags[1]").isEqualTo("master");
            c.sync().clusterAddSlotsRange(Range.create(0, 8191));
        } finally {
            client.shutdown();
        }
        web.get().uri("/api/v1/cluster").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.nodes[0].slots").isEqualTo(8192);
        web.get().uri("/api/v1/cluster/slots").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].from").isEqualTo(0)
                .jsonPath("$[0].to").isEqualTo(8191)
                .jsonPath("$[0].owner").isEqualTo(myself)
                .jsonPath("$[1].from").isEqualTo(8192)
                .jsonPath("$[1].owner").doesNotExist();
    }

    @Test
    void prometheusShowsClusterStateRedirectsAndTheLoadOfEachSlot() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + node.port());
        long slot;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().configSet("cluster-slot-stats-enabled", "yes");
            c.sync().clusterFlushslots(); // the other test's slots, if it ran first
            c.sync().clusterAddSlotsRange(Range.create(0, 16383));
            c.sync().set("user:1", "alice");
            for (int i = 0; i < 100; i++) {
                c.sync().get("user:1");
            }
            slot = c.sync().clusterKeyslot("user:1");
            c.sync().clusterDelSlots((int) (slot + 1) % 16384);
            try { // "a" and "b" hash to different slots
                c.sync().mset(java.util.Map.of("a", "1", "b", "2"));
            } catch (io.lettuce.core.RedisCommandExecutionException expected) {
                org.assertj.core.api.Assertions.assertThat(expected).hasMessageStartingWith("CROSSSLOT");
            }
        } finally {
            client.shutdown();
        }
        String metrics;
        try {
            // a scrape that runs while the slot's series are added may show some of them only, so
            // wait for one that shows all five with a figure
            java.util.List<java.util.regex.Pattern> allFive = java.util.stream.Stream.of("keys", "cpu_microseconds",
                    "network_in_bytes", "network_out_bytes", "memory_bytes")
                    .map(n -> java.util.regex.Pattern.compile("rookery_cluster_slot_" + n + "\\{slot=\"" + slot + "\"} [0-9]"))
                    .toList();
            metrics = awaitMetrics(m -> m.contains("rookery_cluster_slot_keys{slot=\"" + slot + "\"} 1.0")
                    && allFive.stream().allMatch(p -> p.matcher(m).find())
                    && m.contains("rookery_cluster_redirects_total{kind=\"CROSSSLOT\"} 1.0"));
        } finally { // leave the node as the other test expects it: no keys, no slots
            RedisClient cleanup = RedisClient.create("redis://127.0.0.1:" + node.port());
            try (StatefulRedisConnection<String, String> c = cleanup.connect()) {
                c.sync().flushall();
                c.sync().clusterFlushslots();
                c.sync().configSet("cluster-slot-stats-enabled", "no");
            } finally {
                cleanup.shutdown();
            }
        }
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("rookery_cluster_known_nodes 1.0", "rookery_cluster_slots{state=\"assigned\"} 16383.0",
                        "rookery_cluster_slots{state=\"ok\"} 16383.0", "rookery_cluster_slots{state=\"pfail\"} 0.0",
                        "rookery_cluster_redirects_total{kind=\"MOVED\"} 0.0", "rookery_cluster_failovers_total 0.0",
                        "rookery_cluster_bus_link_errors_total 0.0",
                        "rookery_cluster_bus_messages_total{direction=\"sent\",type=\"ping\"} 0.0")
                .containsPattern("rookery_cluster_current_epoch \\d")
                .containsPattern("rookery_cluster_slot_cpu_microseconds\\{slot=\"" + slot + "\"} [0-9.E]+")
                .contains("rookery_cluster_slot_network_in_bytes{slot=\"" + slot + "\"} " + (double) (36 + 100 * 25)) // SET user:1 alice, GET user:1
                .contains("rookery_cluster_slot_network_out_bytes{slot=\"" + slot + "\"} " + (double) (5 + 100 * 11)) // +OK, $5 alice
                .containsPattern("rookery_cluster_slot_memory_bytes\\{slot=\"" + slot + "\"} [1-9]")
                .doesNotContain("rookery_cluster_slot_keys{slot=\"0\"}");
        // the one slot given up has no owner, so the cluster is down (full coverage required)
        org.assertj.core.api.Assertions.assertThat(metrics).contains("rookery_cluster_state 0.0");
    }

    /**
     * Scrapes until {@code condition} holds (the metrics show a snapshot at most one scrape old), with
     * the application's common tag left out of the text.
     */
    private String awaitMetrics(java.util.function.Predicate<String> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody()
                    .replace("{application=\"rookery-node\"}", "").replace("application=\"rookery-node\",", "");
            if (condition.test(metrics) || System.currentTimeMillis() > deadline) {
                return metrics;
            }
            Thread.sleep(200);
        }
    }
}
