package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
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

/**
 * The service over REST against a real redis-server 7.0 cluster: create from three empty nodes (dry
 * run, then the job), rebalance by weight (the dry run's moves are the moves the job makes); after each, redis-cli --cluster check is clean and every key is unchanged.
 * Also: credentials masked, mutating calls need the token, unknown things are problem+json 404s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rookery.admin.admin-token=let-me-in",
        "rookery.admin.lease-ttl=3s",
        "rookery.admin.refresh-interval=500ms",
        "spring.datasource.url=jdbc:h2:mem:admin-service-it;DB_CLOSE_DELAY=-1"
})
@AutoConfigureWebTestClient(timeout = "60s")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("admin")
class AdminServiceIT {
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
    };
    private static TestCluster cluster;
    private static String checksum;

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) throws Exception {
        cluster = new TestCluster(TestCluster.Kind.REDIS);
        for (int i = 0; i < 3; i++) {
            cluster.startNode();
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private WebTestClient web;

    @Autowired
    void client(WebTestClient client) {
        web = client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
    }

    private WebTestClient.RequestBodySpec post(String path) {
        return web.post().uri(path).header("Authorization", "Bearer let-me-in").contentType(MediaType.APPLICATION_JSON);
    }

    private Map<String, Object> awaitJob(Object id) throws InterruptedException {
        Map<String, Object>[] last = new Map[1];
        TestCluster.await("job " + id + " to finish", () -> {
            last[0] = web.get().uri("/api/v1/jobs/" + id).exchange().expectStatus().isOk().expectBody(MAP)
                    .returnResult().getResponseBody();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].get("state"));
        }, () -> String.valueOf(last[0]));
        assertThat(last[0].get("state")).as(String.valueOf(last[0].get("log"))).isEqualTo("SUCCEEDED");
        return last[0];
    }

    private List<String> nodes() {
        return cluster.ports().stream().map(p -> "127.0.0.1:" + p).toList();
    }

    @Test
    @Order(1)
    void createShowsItsPlanThenBuildsAClusterThatChecksClean() throws Exception {
        Map<String, Object> body = Map.of("name", "c1", "nodes", nodes(), "replicas", 0);
        Map<String, Object> dry = post("/api/v1/clusters/create?dryRun=true").bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
        Map<String, Object> plan = (Map<String, Object>) dry.get("plan");
        assertThat(((List<Map<String, Object>>) plan.get("slotAssignments")).stream()
                .filter(a -> !((List<?>) a.get("slots")).isEmpty())).hasSize(3);
        web.get().uri("/api/v1/clusters/c1").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);

        Map<String, Object> job = post("/api/v1/clusters/create").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(MAP).returnResult().getResponseBody();
        awaitJob(job.get("id"));
        TestCluster.awaitClean(cluster.ports().get(0));
        Map<String, Object> topology = web.get().uri("/api/v1/clusters/c1/topology").exchange().expectStatus().isOk()
                .expectBody(MAP).returnResult().getResponseBody();
        assertThat(((Map<String, Object>) topology.get("health")).get("status")).isEqualTo("OK");
        assertThat(topology.get("coveredSlots")).isEqualTo(16384);
        assertThat((List<?>) topology.get("nodes")).hasSize(3);
        assertThat((List<?>) topology.get("slotMap")).hasSize(3);
        cluster.writeKeys(400);
        checksum = cluster.checksum();
    }

    @Test
    @Order(2)
    void rebalanceByWeightMakesTheMovesItsDryRunShowed() throws Exception {
        Map<String, Object> topology = web.get().uri("/api/v1/clusters/c1/topology").exchange().expectBody(MAP)
                .returnResult().getResponseBody();
        String heavy = ((List<Map<String, Object>>) topology.get("slotMap")).get(0).get("nodeId").toString();
        Map<String, Object> body = Map.of("weights", Map.of(heavy, 1.1), "options", Map.of("concurrency", 2));
        Map<String, Object> dry = post("/api/v1/clusters/c1/rebalance?dryRun=true").bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(MAP).returnResult().getResponseBody();
        List<Map<String, Object>> planned = (List<Map<String, Object>>) ((Map<String, Object>) dry.get("plan")).get("moves");
        assertThat(planned).isNotEmpty();
        java.util.concurrent.CopyOnWriteArrayList<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.core.Disposable stream = web.get().uri("/api/v1/jobs/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                }).getResponseBody().filter(e -> e.event() != null).subscribe(e -> events.add(e.event() + " " + e.data()));
        Map<String, Object> job = post("/api/v1/clusters/c1/rebalance").bodyValue(body).exchange()
                .expectStatus().isAccepted().expectBody(MAP).returnResult().getResponseBody();
        Map<String, Object> done = awaitJob(job.get("id"));
        TestCluster.await("the job's final state on the event stream",
                () -> events.stream().anyMatch(e -> e.startsWith("state ") && e.contains("\"SUCCEEDED\"")), events::toString);
        stream.dispose();
        assertThat(events).anyMatch(e -> e.startsWith("step ") && e.contains("\"MOVE\""));
        List<String> executed = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) done.get("steps")) {
            if (step.get("kind").equals("MOVE")) {
                executed.add(step.get("slot") + ":" + step.get("nodeId") + ">" + step.get("peerId"));
            }
        }
        assertThat(executed).isEqualTo(planned.stream().map(m -> m.get("slot") + ":" + m.get("sourceId") + ">"
                + m.get("targetId")).toList());
        assertThat(((Map<String, Object>) done.get("progress")).get("slotsMoved")).isEqualTo(planned.size());
        TestCluster.awaitClean(cluster.ports().get(0));
        assertThat(cluster.checksum()).isEqualTo(checksum);
    }

    @Test
    @Order(4)
    void credentialsAreMaskedAndMutatingCallsNeedTheToken() {
        web.post().uri("/api/v1/clusters").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x", "seeds", nodes())).exchange().expectStatus().isUnauthorized();
        Map<String, Object> registered = post("/api/v1/clusters").bodyValue(Map.of("name", "c1-again", "seeds",
                nodes().subList(0, 1), "password", "")).exchange().expectStatus().isCreated().expectBody(MAP)
                .returnResult().getResponseBody();
        assertThat(registered.get("password")).isEqualTo("");
        post("/api/v1/clusters/create?dryRun=true").bodyValue(Map.of("name", "c2", "nodes", nodes(), "replicas", 0))
                .exchange().expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(b -> assertThat(b).contains("is not empty. Either the node already knows"));
        web.get().uri("/api/v1/jobs/999999").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .value(s -> assertThat(s).contains("/api/v1/clusters/{name}/rebalance", "/api/v1/jobs/{id}/pause"));
    }

    @Test
    @Order(5)
    void metricsCountTheMovesAndHealthGoesDownWithTheCluster() throws Exception {
        String[] prometheus = {""};
        TestCluster.await("the cluster figures in the metrics", () -> {
            prometheus[0] = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody();
            return prometheus[0].contains("rookery_admin_cluster_slots{application=\"rookery-admin\",cluster=\"c1\",state=\"assigned\"} 16384.0");
        }, () -> prometheus[0]);
        assertThat(prometheus[0]).contains("rookery_admin_jobs{application=\"rookery-admin\",state=\"succeeded\"} 2.0");
        assertThat(prometheus[0]).contains("rookery_admin_slots_moved_total{application=\"rookery-admin\",cluster=\"c1\"}",
                "rookery_admin_job_duration_seconds_count{application=\"rookery-admin\",kind=\"rebalance\",state=\"succeeded\"} 1",
                "rookery_admin_cluster_nodes{application=\"rookery-admin\",cluster=\"c1\",role=\"primary\",state=\"ok\"} 3.0",
                "rookery_admin_cluster_imbalance{application=\"rookery-admin\",cluster=\"c1\",figure=\"slots\"}",
                "rookery_admin_jobs_finished_total{application=\"rookery-admin\",state=\"succeeded\"} 2.0",
                "rookery_admin_jobs_finished_total{application=\"rookery-admin\",state=\"failed\"} 0.0",
                "rookery_admin_job_progress{application=\"rookery-admin\",cluster=\"c1\"} 1.0",
                "rookery_admin_job_eta_seconds{application=\"rookery-admin\",cluster=\"c1\"} 0.0",
                "rookery_admin_step_errors_total{application=\"rookery-admin\",cluster=\"c1\",kind=\"move\"} 0.0");
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();

        cluster.kill(2);
        String[] health = {""};
        TestCluster.await("the health to go down", () -> {
            health[0] = web.get().uri("/actuator/health").exchange().expectBody(String.class).returnResult().getResponseBody();
            return health[0].contains("\"DOWN\"");
        }, () -> health[0]);
        assertThat(health[0]).contains("can't be reached");
    }
}
