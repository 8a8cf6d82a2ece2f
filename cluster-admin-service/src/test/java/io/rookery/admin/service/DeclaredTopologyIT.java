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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin service started with a declared topology ({@code rookery.admin.topology.*}), as a real process: on
 * empty nodes it creates the declared cluster through a create job and becomes ready; started again on the same
 * data directory it finds the cluster formed and changes nothing (no new job, same nodes, roles, slots and keys);
 * on nodes already clustered otherwise it touches nothing and reports why (not ready, the status endpoint says
 * CONFLICT).
 */
@Tag("admin")
class DeclaredTopologyIT {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void createsTheDeclaredRookeryClusterOnceAndLeavesItAloneOnRestart() throws Exception {
        Path data = Files.createTempDirectory("admin-declared");
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.ROOKERY)) {
            for (int i = 0; i < 6; i++) {
                cluster.startNode();
            }
            int port = RealRedis.freePort();
            String base = "http://127.0.0.1:" + port;
            String firstJob;
            try (ServiceProcess admin = start(data, port, "first", cluster.ports(), 1)) {
                awaitReady(base, admin);
                JsonNode status = get(base + "/api/v1/declared-topology");
                assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("READY");
                assertThat(status.get("reason").asString()).startsWith("created by job ");
                JsonNode jobs = get(base + "/api/v1/jobs?cluster=rookery");
                assertThat(jobs.size()).as(jobs.toString()).isEqualTo(1);
                assertThat(jobs.get(0).get("kind").asString()).isEqualTo("create");
                assertThat(jobs.get(0).get("state").asString()).isEqualTo("SUCCEEDED");
                firstJob = jobs.get(0).get("id").asString();
                assertThat(status.get("jobId").asString()).isEqualTo(firstJob);
            }
            TestCluster.awaitClean(cluster.ports().get(0));
            List<String> shape = shape(cluster);
            assertThat(shape.stream().filter(l -> l.contains("master") && l.matches(".* \\d+-\\d+.*"))).hasSize(3);
            List<String> replicaOf = shape.stream().filter(l -> l.contains("slave")).map(l -> l.split(" ")[3]).toList();
            assertThat(replicaOf).hasSize(3).doesNotHaveDuplicates();
            cluster.writeKeys(300);
            String checksum = cluster.checksum();

            try (ServiceProcess admin = start(data, port, "second", cluster.ports(), 1)) {
                awaitReady(base, admin);
                JsonNode status = get(base + "/api/v1/declared-topology");
                assertThat(status.get("state").asString()).isEqualTo("READY");
                assertThat(status.get("reason").asString()).startsWith("already formed; nothing to do");
                JsonNode jobs = get(base + "/api/v1/jobs?cluster=rookery");
                assertThat(jobs.size()).as(jobs.toString()).isEqualTo(1);
                assertThat(jobs.get(0).get("id").asString()).isEqualTo(firstJob);
            }
            assertThat(shape(cluster)).isEqualTo(shape);
            assertThat(cluster.checksum()).isEqualTo(checksum);
        }
    }

    @Test
    void nodesPartlyClusteredAreLeftUntouchedAndReported() throws Exception {
        Path data = Files.createTempDirectory("admin-declared-partly");
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.REDIS)) {
            for (int i = 0; i < 4; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports().subList(0, 3), 0);
            cluster.writeKeys(200);
            String checksum = cluster.checksum();
            List<String> shape = shape(cluster);
            int port = RealRedis.freePort();
            String base = "http://127.0.0.1:" + port;
            try (ServiceProcess admin = start(data, port, "partly", cluster.ports(), 0)) {
                JsonNode status = awaitState(base, admin, "CONFLICT");
                assertThat(status.get("reason").asString()).startsWith("PARTLY_FORMED: the declared nodes are partly "
                        + "clustered (1 empty, 127.0.0.1:" + cluster.ports().get(0) + " knows 3 of the 4 declared nodes");
                assertThat(status.get("reason").asString()).endsWith("left untouched");
                HttpResponse<String> readiness = send(base + "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("PARTLY_FORMED");
                assertThat(get(base + "/api/v1/jobs").size()).isZero();
                assertThat(get(base + "/api/v1/clusters").size()).isZero();
            }
            assertThat(cluster.cli(cluster.ports().get(3), "CLUSTER", "NODES").lines().count()).isEqualTo(1);
            assertThat(shape(cluster)).isEqualTo(shape);
            assertThat(cluster.checksum()).isEqualTo(checksum);
        }
    }

    @Test
    void nodesOfAClusterWithUndeclaredNodesAreLeftUntouchedAndReported() throws Exception {
        Path data = Files.createTempDirectory("admin-declared-foreign");
        try (TestCluster cluster = new TestCluster(TestCluster.Kind.REDIS)) {
            for (int i = 0; i < 4; i++) {
                cluster.startNode();
            }
            cluster.createWithRedisCli(cluster.ports(), 0);
            cluster.writeKeys(200);
            String checksum = cluster.checksum();
            List<String> shape = shape(cluster);
            int port = RealRedis.freePort();
            String base = "http://127.0.0.1:" + port;
            try (ServiceProcess admin = start(data, port, "foreign", cluster.ports().subList(0, 3), 0)) {
                JsonNode status = awaitState(base, admin, "CONFLICT");
                assertThat(status.get("reason").asString()).startsWith("FOREIGN: declared nodes belong to a cluster with "
                        + "nodes that were not declared: ").contains("(127.0.0.1:" + cluster.ports().get(3) + ")");
                assertThat(send(base + "/actuator/health/readiness").statusCode()).isEqualTo(503);
                assertThat(get(base + "/api/v1/jobs").size()).isZero();
            }
            assertThat(shape(cluster)).isEqualTo(shape);
            assertThat(cluster.checksum()).isEqualTo(checksum);
        }
    }

    /** Every node's id, role, primary and slots as its own CLUSTER NODES line says, sorted. */
    private static List<String> shape(TestCluster cluster) {
        List<String> lines = new ArrayList<>();
        for (int p : cluster.ports()) {
            String mine = cluster.cli(p, "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst()
                    .orElseThrow();
            String[] f = mine.split(" ");
            List<String> kept = new ArrayList<>(List.of(f[0], f[1], f[2].replace("myself,", ""), f[3]));
            for (int i = 8; i < f.length; i++) {
                kept.add(f[i]);
            }
            lines.add(String.join(" ", kept));
        }
        return lines.stream().sorted().collect(Collectors.toList());
    }

    private static ServiceProcess start(Path data, int port, String name, List<Integer> nodes, int replicas)
            throws Exception {
        return ServiceProcess.start(RookeryAdminApplication.class, data.resolve(name + ".log"),
                "--server.port=" + port, "--server.address=127.0.0.1", "--rookery.admin.data-dir=" + data,
                "--rookery.admin.admin-token=let-me-in", "--rookery.admin.lease-ttl=2s",
                "--rookery.admin.topology.nodes=" + nodes.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")),
                "--rookery.admin.topology.replicas-per-primary=" + replicas,
                "--rookery.admin.topology.retry-interval=300ms");
    }

    private void awaitReady(String base, ServiceProcess p) throws InterruptedException {
        String[] last = {""};
        TestCluster.await("the service to be ready", () -> {
            try {
                HttpResponse<String> r = send(base + "/actuator/health/readiness");
                last[0] = r.body();
                return r.statusCode() == 200;
            } catch (Exception e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0] + "\n" + output(p));
    }

    private JsonNode awaitState(String base, ServiceProcess p, String state) throws InterruptedException {
        JsonNode[] last = {null};
        TestCluster.await("the declared topology's state " + state, () -> {
            try {
                last[0] = get(base + "/api/v1/declared-topology");
                return last[0].get("state").asString().equals(state);
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> last[0] + "\n" + output(p));
        return last[0];
    }

    private static String output(ServiceProcess p) {
        try {
            return p.output();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private HttpResponse<String> send(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String uri) {
        try {
            HttpResponse<String> r = send(uri);
            assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
