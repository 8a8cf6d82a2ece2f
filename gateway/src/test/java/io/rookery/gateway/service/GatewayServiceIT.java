package io.rookery.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.gateway.Gateway;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service shell: the REST view and refresh (admin token), health, Prometheus metrics, OpenAPI. */
@Tag("gateway")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.gateway.port=0",
        "rookery.gateway.bind=127.0.0.1",
        "rookery.gateway.admin-token=let-me-in"
})
@AutoConfigureWebTestClient
class GatewayServiceIT {
    private static final List<RealRedis> NODES = new ArrayList<>();

    @Autowired
    WebTestClient web;

    @Autowired
    Gateway gateway;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) {
        for (int i = 0; i < 3; i++) {
            NODES.add(RealRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "2000"));
        }
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        NODES.forEach(n -> args.add("127.0.0.1:" + n.port()));
        args.add("--cluster-yes");
        String out = RedisCli.run(NODES.get(0).port(), args.toArray(String[]::new));
        assertThat(out).contains("[OK] All 16384 slots covered.");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!NODES.stream().allMatch(n -> RedisCli.run(n.port(), "CLUSTER", "INFO").contains("cluster_state:ok"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("cluster did not become ok");
            }
        }
        registry.add("rookery.gateway.seeds[0]", () -> "127.0.0.1:" + NODES.get(0).port());
    }

    @AfterAll
    static void stop() {
        NODES.forEach(RealRedis::close);
    }

    @Test
    void theRestViewShowsTheClusterBehindTheGatewayAndARefreshNeedsTheAdminToken() {
        assertThat(RedisCli.run(gateway.port(), "SET", "a", "1").trim()).isEqualTo("OK");
        web.get().uri("/api/v1/gateway").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.backendKind").isEqualTo("cluster")
                .jsonPath("$.slotsServed").isEqualTo(16384)
                .jsonPath("$.slotMapVersion").isEqualTo(1)
                .jsonPath("$.backends.length()").isEqualTo(3)
                .jsonPath("$.backends[0].role").isEqualTo("primary");
        web.post().uri("/api/v1/gateway/refresh").exchange().expectStatus().isUnauthorized();
        web.post().uri("/api/v1/gateway/refresh").header("Authorization", "Bearer let-me-in").exchange()
                .expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("refresh started");
    }

    @Test
    void healthIsUpWithEverySlotServedAndMetricsCountCommandsAndBackends() throws Exception {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.gateway.details.slotsServed").isEqualTo(16384);
        for (int i = 0; i < 10; i++) {
            RedisCli.run(gateway.port(), "MSET", "m" + i, "x", "n" + i, "y");
        }
        long deadline = System.currentTimeMillis() + 10_000;
        String metrics = "";
        while (System.currentTimeMillis() < deadline) {
            metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            if (metrics.contains("command=\"mset\"") && metrics.contains("rookery_gateway_backend_requests_seconds_count")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(metrics).contains("rookery_gateway_commands_seconds_count{application=\"rookery-gateway\",command=\"mset\"}")
                .contains("rookery_gateway_backend_requests_seconds_count")
                .contains("rookery_gateway_redirections_total")
                .contains("rookery_gateway_split_commands_total")
                .contains("rookery_gateway_slotmap_refreshes_total")
                .contains("rookery_gateway_clients");
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.info.title").isEqualTo("Rookery gateway API")
                .jsonPath("$.paths['/api/v1/gateway/refresh']").exists();
    }
}
