package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.admin.TestCluster;
import io.rookery.node.support.RealRedis;
import io.rookery.web.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 of the service in the middle of a rebalance: started again on the same data directory, it
 * takes the cluster's lease once the dead instance's expires, resumes the job from its stored step
 * states and finishes it; no slot stays open and no key is lost.
 */
@Tag("admin")
class ResumeAfterKillIT {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRebalanceKilledMidwayResumesAndFinishesWithEveryKey() throws Exception {
        Path data = Files.createTempDirectory("admin-resume");
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.REDIS)) {
            for (int i = 0; i < 3; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports(), 0);
            cluster.writeKeys(1500);
            String before = cluster.checksum();
            int port = RealRedis.freePort();
            String base = "http://127.0.0.1:" + port;
            long jobId;
            try (ServiceProcess first = start(data, port, "first")) {
                awaitUp(base, first);
                post(base + "/api/v1/clusters", Map.of("name", "c1", "seeds", List.of("127.0.0.1:" + cluster.ports().get(0))));
                String heavy = get(base + "/api/v1/clusters/c1/topology").get("slotMap").get(0).get("nodeId").asString();
                JsonNode job = post(base + "/api/v1/clusters/c1/rebalance", Map.of("weights", Map.of(heavy, 1.1),
                        "options", Map.of("keysPerSecond", 150, "batchKeys", 2)));
                jobId = job.get("id").asLong();
                TestCluster.await("the rebalance to move some slots", () -> {
                    JsonNode j = get(base + "/api/v1/jobs/" + jobId);
                    return j.get("progress").get("slotsMoved").asInt() >= 15;
                }, () -> get(base + "/api/v1/jobs/" + jobId).toString());
                JsonNode killed = get(base + "/api/v1/jobs/" + jobId);
                assertThat(killed.get("state").asString()).isEqualTo("RUNNING");
                assertThat(killed.get("progress").get("slotsMoved").asInt())
                        .isLessThan(killed.get("progress").get("slotsToMove").asInt());
            } // kill -9
            try (ServiceProcess second = start(data, port, "second")) {
                awaitUp(base, second);
                JsonNode[] last = new JsonNode[1];
                TestCluster.await("the resumed job to finish", () -> {
                    last[0] = get(base + "/api/v1/jobs/" + jobId);
                    return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].get("state").asString());
                }, () -> String.valueOf(last[0]));
                assertThat(last[0].get("state").asString()).as(last[0].get("log").toString()).isEqualTo("SUCCEEDED");
                for (JsonNode step : last[0].get("steps")) {
                    assertThat(step.get("state").asString()).isEqualTo("DONE");
                }
            }
            TestCluster.awaitClean(cluster.ports().get(0));
            assertThat(cluster.checksum()).isEqualTo(before);
        }
    }

    private static ServiceProcess start(Path data, int port, String name) throws Exception {
        return ServiceProcess.start(RookeryAdminApplication.class, data.resolve(name + ".log"),
                "--server.port=" + port, "--server.address=127.0.0.1", "--rookery.admin.data-dir=" + data,
                "--rookery.admin.admin-token=let-me-in", "--rookery.admin.lease-ttl=2s",
                "--rookery.admin.instance-id=" + name);
    }

    private void awaitUp(String base, ServiceProcess p) throws InterruptedException {
        TestCluster.await("the service to answer", () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/clusters")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }, () -> {
            try {
                return p.output();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
    }

    private JsonNode get(String uri) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode post(String uri, Object body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer let-me-in")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }
}
