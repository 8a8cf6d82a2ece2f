package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The node metrics the shipped alert rules ask for (deploy/prometheus/alerts.yml), read from the real
 * /actuator/prometheus: the maxmemory limit and the replica's link to its primary.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.node.port=0",
        "rookery.node.bind=127.0.0.1",
        "rookery.node.admin-token=let-me-in",
        "rookery.node.directives.hz=20",
        "rookery.node.directives.save=",
        "rookery.node.directives.maxmemory=64mb"
})
@AutoConfigureWebTestClient
class NodeMetricsIT {
    @DynamicPropertySource
    static void ownDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("rookery-metrics-it");
        registry.add("rookery.node.directives.dir", dir::toString);
    }

    @Autowired
    WebTestClient web;
    @Autowired
    RookeryNode node;

    private String scrape() {
        return web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The value of an unlabelled-by-us sample, e.g. {@code rookery_memory_max_bytes{application="..."} 6.7E7}. */
    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(m.group(2));
    }

    private void awaitSample(String name, double expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        double seen = Double.NaN;
        while (Instant.now().isBefore(deadline)) {
            seen = sample(scrape(), name);
            if (seen == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(seen).as(name + " within 30 s").isEqualTo(expected);
    }

    private void replicaof(String body) {
        web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
    }

    @Test
    void maxmemoryIsExportedAndFollowsConfigSet() {
        assertThat(sample(scrape(), "rookery_memory_max_bytes")).isEqualTo(64.0 * 1024 * 1024);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + node.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().configSet("maxmemory", "0");
            assertThat(sample(scrape(), "rookery_memory_max_bytes")).isEqualTo(0.0);
            c.sync().configSet("maxmemory", "64mb");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theReplicaLinkStateIsUpWhileThePrimaryRunsAndDownOnceItStops() throws Exception {
        assertThat(sample(scrape(), "rookery_replication_master_link_up")).as("a primary has no link").isEqualTo(0.0);
        NodeConfig primaryConfig = new NodeConfig();
        primaryConfig.load("port", "0");
        primaryConfig.load("bind", "127.0.0.1");
        primaryConfig.load("save", "");
        primaryConfig.load("dir", Files.createTempDirectory("rookery-metrics-it-primary").toString());
        RookeryNode primary = new RookeryNode(primaryConfig);
        int primaryPort = primary.start();
        try {
            replicaof("{\"host\":\"127.0.0.1\",\"port\":" + primaryPort + "}");
            awaitSample("rookery_replication_is_replica", 1.0);
            awaitSample("rookery_replication_master_link_up", 1.0);
            primary.stop(false);
            awaitSample("rookery_replication_master_link_up", 0.0);
            assertThat(sample(scrape(), "rookery_replication_is_replica")).isEqualTo(1.0);
        } finally {
            primary.stop(false);
            replicaof("{}");
        }
    }
}
