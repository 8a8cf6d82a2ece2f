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

/** A node in cluster mode behind the service shell: the REST view of the cluster and its slot table. */
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
}
