package io.rookery.sentinel.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.TestNode;
import io.rookery.sentinel.Sentinel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** The service shell: REST views, forced failover, the event stream, actuator, metrics, OpenAPI, admin token. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.sentinel.port=0",
        "rookery.sentinel.bind=127.0.0.1",
        "rookery.sentinel.admin-token=let-me-in"
})
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the failover changes the topology: it goes last
class SentinelServiceIT {
    private static TestNode primary;
    private static TestNode replica;

    @DynamicPropertySource
    static void topology(DynamicPropertyRegistry registry) throws IOException {
        primary = TestNode.start();
        replica = TestNode.start(c -> {
            try {
                c.load("replicaof", "127.0.0.1 " + primary.port());
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
        Path dir = Files.createTempDirectory("sentinel-service-it");
        registry.add("rookery.sentinel.config-file", () -> dir.resolve("sentinel.conf").toString());
        Files.createFile(dir.resolve("sentinel.conf"));
        registry.add("rookery.sentinel.masters[0].name", () -> "mymaster");
        registry.add("rookery.sentinel.masters[0].host", () -> "127.0.0.1");
        registry.add("rookery.sentinel.masters[0].port", () -> primary.port());
        registry.add("rookery.sentinel.masters[0].quorum", () -> 1);
        registry.add("rookery.sentinel.masters[0].down-after-milliseconds", () -> 2000);
    }

    @AfterAll
    static void stopNodes() {
        replica.close();
        primary.close();
    }

    @Autowired
    WebTestClient web;
    @Autowired
    Sentinel sentinel;

    private void awaitReplicaKnown() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var m = sentinel.master("mymaster").join();
            if (m.replicas().size() == 1 && "ok".equals(m.replicas().get(0).masterLinkStatus())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("the sentinel never saw the replica");
    }

    @Test
    @Order(1)
    void mastersAreListedWithTheirReplicas() {
        awaitReplicaKnown();
        web.get().uri("/api/v1/masters").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].name").isEqualTo("mymaster")
                .jsonPath("$[0].quorum").isEqualTo(1)
                .jsonPath("$[0].downAfterMillis").isEqualTo(2000);
        web.get().uri("/api/v1/masters/mymaster").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.replicas[0].port").isEqualTo(replica.port())
                .jsonPath("$.replicas[0].masterLinkStatus").isEqualTo("ok")
                .jsonPath("$.status").isEqualTo("ok");
        web.get().uri("/api/v1/masters/nosuch").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @Order(3)
    void aForcedFailoverNeedsTheTokenAndIsStreamedAsEvents() {
        awaitReplicaKnown();
        web.post().uri("/api/v1/masters/mymaster/failover").exchange().expectStatus().isUnauthorized();
        web.post().uri("/api/v1/masters/nosuch/failover").header("Authorization", "Bearer let-me-in")
                .exchange().expectStatus().isNotFound();
        Flux<ServerSentEvent<Map<String, Object>>> events = web.get().uri("/api/v1/events")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>>() { })
                .getResponseBody();
        web.post().uri("/api/v1/masters/mymaster/failover").header("Authorization", "Bearer let-me-in")
                .exchange().expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("failover started");
        ServerSentEvent<Map<String, Object>> switched = events.filter(e -> "+switch-master".equals(e.event()))
                .blockFirst(Duration.ofSeconds(20));
        assertThat(switched).isNotNull();
        assertThat(switched.data()).containsEntry("master", "mymaster")
                .containsEntry("message", "mymaster 127.0.0.1 " + primary.port() + " 127.0.0.1 " + replica.port());
        web.get().uri("/api/v1/masters/mymaster").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.port").isEqualTo(replica.port());

        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).containsPattern("rookery_sentinel_failovers_started_total\\{[^}]*} [1-9]");
        assertThat(metrics).containsPattern("rookery_sentinel_master_status\\{[^}]*master=\"mymaster\"[^}]*} 0");
        assertThat(metrics).contains("rookery_sentinel_tilt", "rookery_sentinel_master_replicas");
    }

    @Test
    @Order(2)
    void healthAndOpenApi() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.info.title").isEqualTo("Rookery sentinel API")
                .jsonPath("$.paths['/api/v1/masters'].get").exists()
                .jsonPath("$.paths['/api/v1/masters/{name}'].get").exists()
                .jsonPath("$.paths['/api/v1/masters/{name}/failover'].post").exists()
                .jsonPath("$.paths['/api/v1/events'].get").exists();
    }
}
