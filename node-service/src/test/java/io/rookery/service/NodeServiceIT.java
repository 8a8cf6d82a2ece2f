package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service shell: node lifecycle, REST views, actuator, Prometheus metrics, OpenAPI, admin token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.node.port=0",
        "rookery.node.bind=127.0.0.1",
        "rookery.node.requirepass=topsecret",
        "rookery.node.admin-token=let-me-in",
        "rookery.node.directives.hz=20",
        "rookery.node.directives.save="
})
@AutoConfigureWebTestClient
class NodeServiceIT {
    @DynamicPropertySource
    static void ownDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("rookery-service-it");
        registry.add("rookery.node.directives.dir", dir::toString);
    }

    @Autowired
    WebTestClient web;
    @Autowired
    RookeryNode node;

    private void writeSomeKeys() {
        RedisClient client = RedisClient.create("redis://topsecret@127.0.0.1:" + node.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
            c.sync().set("a", "1");
            c.sync().set("b", "2");
            c.sync().select(3);
            c.sync().set("c", "3");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void theClusterViewSaysClusterModeIsOff() {
        web.get().uri("/api/v1/cluster").exchange().expectStatus().isNotFound();
    }

    @Test
    void nodeViewReportsRoleVersionClientsAndKeys() {
        writeSomeKeys();
        web.get().uri("/api/v1/node").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.role").isEqualTo("master")
                .jsonPath("$.redisVersion").isEqualTo("7.0.15")
                .jsonPath("$.port").isEqualTo(node.port())
                .jsonPath("$.keys['0']").isEqualTo(2)
                .jsonPath("$.keys['3']").isEqualTo(1)
                .jsonPath("$.usedMemory").isNumber();
    }

    @Test
    void configViewUsesRedisNamesAndMasksPasswords() {
        web.get().uri("/api/v1/config").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.hz").isEqualTo("20")
                .jsonPath("$.requirepass").isEqualTo("******")
                .jsonPath("$.maxmemory-policy").isEqualTo("noeviction");
    }

    @Test
    void actuatorHealthAndPrometheusMetrics() {
        writeSomeKeys();
        node.freshStatus().join(); // a scrape reads the last published status; the cron's would come within 1/hz s
        web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).containsPattern("rookery_commands_seconds_count\\{[^}]*command=\"set\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("rookery_keys\\{[^}]*db=\"0\"[^}]*} 2");
        assertThat(metrics).contains("rookery_clients_connected", "rookery_keys_expired_total", "rookery_memory_used_bytes");
    }

    @Test
    void openApiDocumentsTheRestApi() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.info.title").isEqualTo("Rookery node API")
                .jsonPath("$.paths['/api/v1/node'].get").exists()
                .jsonPath("$.paths['/api/v1/config'].get").exists();
    }

    @Test
    void persistenceCanBeInspectedTriggeredAndReconfigured() {
        writeSomeKeys();
        web.get().uri("/api/v1/persistence").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.bgsaveInProgress").isEqualTo(false)
                .jsonPath("$.changesSinceLastSave").isNumber()
                .jsonPath("$.file").value(f -> assertThat((String) f).endsWith("dump.rdb"));
        web.post().uri("/api/v1/persistence/save").header("Authorization", "Bearer let-me-in").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("saved");
        web.get().uri("/api/v1/persistence").exchange().expectBody().jsonPath("$.changesSinceLastSave").isEqualTo(0);
        web.post().uri("/api/v1/persistence/bgsave").header("Authorization", "Bearer let-me-in").exchange()
                .expectStatus().isAccepted();
        web.post().uri("/api/v1/persistence/rewrite-aof").header("Authorization", "Bearer let-me-in").exchange()
                .expectStatus().isAccepted();
        web.put().uri("/api/v1/persistence/policy").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"save\":\"900 1\",\"appendfsync\":\"always\"}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.save").isEqualTo("900 1");
        assertThat(node.parts().config().appendfsync).isEqualTo("always");
        web.put().uri("/api/v1/persistence/policy").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"appendfsync\":\"sometimes\"}")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.put().uri("/api/v1/persistence/policy").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void replicationStateAndRoleChangesOverRest() {
        web.get().uri("/api/v1/replication").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.role").isEqualTo("master")
                .jsonPath("$.master_repl_offset").exists()
                .jsonPath("$.connected_slaves").isEqualTo("0");
        web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"host\":\"127.0.0.1\",\"port\":1}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("slave");
        web.get().uri("/api/v1/replication").exchange().expectBody()
                .jsonPath("$.role").isEqualTo("slave")
                .jsonPath("$.master_link_status").isEqualTo("down");
        web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.role").isEqualTo("master");
        web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"host\":\"x\"}")
                .exchange().expectStatus().isBadRequest();
        String metrics = web.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("rookery_replication_offset_bytes", "rookery_replication_sync_full_total");
    }

    @Test
    void theNodeViewOfAReplicaSaysSlaveAsRoleDoes() throws Exception {
        NodeConfig primaryConfig = new NodeConfig();
        primaryConfig.load("port", "0");
        primaryConfig.load("bind", "127.0.0.1");
        primaryConfig.load("save", "");
        primaryConfig.load("dir", Files.createTempDirectory("rookery-service-it-primary").toString());
        RookeryNode primary = new RookeryNode(primaryConfig);
        int primaryPort = primary.start();
        try {
            web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"host\":\"127.0.0.1\",\"port\":" + primaryPort + "}")
                    .exchange().expectStatus().isOk();
            web.get().uri("/api/v1/node").exchange().expectStatus().isOk().expectBody()
                    .jsonPath("$.role").isEqualTo("slave");
            assertThat(roleOverResp()).isEqualTo("slave");
        } finally {
            web.post().uri("/api/v1/replication/replicaof").header("Authorization", "Bearer let-me-in")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange().expectStatus().isOk();
            primary.stop(false);
        }
        web.get().uri("/api/v1/node").exchange().expectBody().jsonPath("$.role").isEqualTo("master");
        assertThat(roleOverResp()).isEqualTo("master");
    }

    private String roleOverResp() {
        RedisClient client = RedisClient.create("redis://topsecret@127.0.0.1:" + node.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return String.valueOf(c.sync().role().get(0));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void mutatingCallsNeedTheAdminToken() {
        web.post().uri("/api/v1/node").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/api/v1/node").header("Authorization", "Bearer let-me-in").exchange()
                .expectStatus().isEqualTo(405);
    }
}
