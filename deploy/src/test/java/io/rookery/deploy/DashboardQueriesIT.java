package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every PromQL expression the project ships — each Grafana dashboard panel, each dashboard variable, each
 * alert rule — run against a real Prometheus that scrapes the real services, started from their jars on
 * loopback like docker-compose.yml's topology in small: a 3-primary cluster declared to the admin service,
 * which creates it at start, the gateway in front of it, an HA group (a primary, a replica, a sentinel). Job names
 * and {@code instance} labels are compose's (deploy/prometheus/prometheus.yml), and the alert rules are
 * loaded as compose loads them. After a short load through the gateway every panel and variable query
 * must parse and return series; every rule must parse, every metric it reads must exist, and Prometheus
 * must evaluate it without error. The same topology answers {@code bin/rookery-cluster status}.
 */
@Tag("dashboards")
class DashboardQueriesIT {
    private static final Path DEPLOY = ServiceJar.repository().resolve("deploy");

    private static LocalTopology topology;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startTheTopology() throws Exception {
        topology = LocalTopology.start();
        prometheus = topology.prometheus;
    }

    @AfterAll
    static void stopTheTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    static void await(String what, Duration bound, Supplier<Boolean> condition, Supplier<String> detail)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("waited " + bound.toSeconds() + " s for " + what + ": " + detail.get());
    }

    private static JsonNode query(String expr) {
        try {
            return prometheus.query(expr);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The queries that fail or, with {@code needSeries}, return no series; a description each. */
    private static List<String> failing(List<ShippedQueries.Query> queries, boolean needSeries) {
        List<String> bad = new ArrayList<>();
        for (ShippedQueries.Query q : queries) {
            JsonNode answer = query(q.expr());
            if (!"success".equals(answer.path("status").asString(""))) {
                bad.add(q + " -> " + answer.path("errorType").asString("") + ": " + answer.path("error").asString(""));
            } else if (needSeries && answer.path("data").path("result").isEmpty()) {
                bad.add(q + " -> no series");
            }
        }
        return bad;
    }

    @Test
    void theCheckTellsAnUnknownMetricAndAnUnparsableQuery() {
        List<String> bad = failing(List.of(new ShippedQueries.Query("unknown", "rookery_no_such_metric"),
                new ShippedQueries.Query("unparsable", "rate(rookery_keys[1m")), true);
        assertThat(bad).hasSize(2);
        assertThat(bad.get(0)).endsWith("-> no series");
        assertThat(bad.get(1)).contains("-> bad_data: ");
    }

    @Test
    void prometheusScrapesEveryServiceAndEveryTargetIsUp() throws Exception {
        List<String> down = new ArrayList<>();
        await("every target up", Duration.ofMinutes(2), () -> {
            down.clear();
            for (JsonNode t : query("up").path("data").path("result")) {
                if (!"1".equals(t.path("value").get(1).asString())) {
                    down.add(t.path("metric").toString());
                }
            }
            return down.isEmpty() && query("up").path("data").path("result").size() == topology.services.size();
        }, down::toString);
        assertThat(query("count(up == 1)").path("data").path("result").get(0).path("value").get(1).asString())
                .isEqualTo(Integer.toString(topology.services.size()));
    }

    @Test
    void everyDashboardPanelQueryParsesAndReturnsSeries() throws Exception {
        List<ShippedQueries.Query> panels = ShippedQueries.panels(DEPLOY.resolve("grafana/dashboards"));
        assertThat(panels).isNotEmpty();
        List<String> bad = new ArrayList<>();
        await("every panel query to return series", Duration.ofMinutes(2), () -> {
            bad.clear();
            bad.addAll(failing(panels, true));
            return bad.isEmpty();
        }, () -> "\n" + String.join("\n", bad));
    }

    @Test
    void everyDashboardVariableHasValues() throws Exception {
        List<ShippedQueries.Query> variables = ShippedQueries.variables(DEPLOY.resolve("grafana/dashboards"));
        assertThat(variables).isNotEmpty();
        List<String> bad = new ArrayList<>();
        await("every variable query to return series", Duration.ofMinutes(2), () -> {
            bad.clear();
            bad.addAll(failing(variables, true));
            return bad.isEmpty();
        }, () -> "\n" + String.join("\n", bad));
    }

    @Test
    void everyAlertRuleParsesAndEveryMetricItReadsExists() throws Exception {
        List<ShippedQueries.Query> rules = ShippedQueries.rules(DEPLOY.resolve("prometheus/alerts.yml"));
        assertThat(rules).isNotEmpty();
        assertThat(failing(rules, false)).isEmpty();
        TreeSet<String> names = new TreeSet<>();
        rules.forEach(r -> names.addAll(ShippedQueries.metrics(r.expr())));
        List<ShippedQueries.Query> exist = names.stream().map(n -> new ShippedQueries.Query("metric read by a rule", n)).toList();
        List<String> bad = new ArrayList<>();
        await("every metric a rule reads to exist", Duration.ofMinutes(2), () -> {
            bad.clear();
            bad.addAll(failing(exist, true));
            return bad.isEmpty();
        }, () -> "\n" + String.join("\n", bad));
    }

    @Test
    void prometheusEvaluatesEveryShippedRuleWithoutError() throws Exception {
        int shipped = ShippedQueries.rules(DEPLOY.resolve("prometheus/alerts.yml")).size();
        List<String> notOk = new ArrayList<>();
        await("every rule evaluated, healthy", Duration.ofMinutes(1), () -> {
            notOk.clear();
            int evaluated = 0;
            try {
                for (JsonNode group : prometheus.get("/api/v1/rules").path("data").path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        evaluated++;
                        if (!"ok".equals(rule.path("health").asString(""))) {
                            notOk.add(rule.path("name").asString("") + " " + rule.path("health").asString("") + " "
                                    + rule.path("lastError").asString(""));
                        }
                    }
                }
            } catch (Exception e) {
                notOk.add(e.toString());
            }
            return evaluated == shipped && notOk.isEmpty();
        }, notOk::toString);
    }

    @Test
    void binRookeryClusterStatusReportsThisTopologyAsHealthy() throws Exception {
        Path out = Path.of("target", "rookery-cluster-status.out");
        ProcessBuilder pb = new ProcessBuilder(ServiceJar.repository().resolve("bin/rookery-cluster").toString(), "status")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("ROOKERY_CLUSTER_DIR", java.nio.file.Files.createTempDirectory("rookery-cluster-state").toString());
        pb.environment().put("ROOKERY_ADMIN_URL", "http://127.0.0.1:" + topology.adminPort);
        pb.environment().put("ROOKERY_CLUSTER_NAME", "rookery");
        pb.environment().put("ROOKERY_CLUSTER_NODE", "127.0.0.1:" + topology.clusterPorts.get(0));
        pb.environment().put("ROOKERY_GATEWAY", "127.0.0.1:" + topology.gatewayPort);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("status ends").isTrue();
        String output = java.nio.file.Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("cluster rookery: OK", "cluster_state:ok", "cluster_slots_assigned:16384",
                "gateway  127.0.0.1:" + topology.gatewayPort + ": PONG");
        assertThat(output.lines().filter(l -> l.contains("master"))).hasSize(3);
    }

    /**
     * The cluster dashboard's per-slot heatmaps: each query gives one series per range of 100 slots, named by the
     * range's first slot (the heatmap's rows), and the load through the gateway lands in many of them.
     */
    @Test
    void theSlotHeatmapsHaveARowPerRangeOfSlots() throws Exception {
        List<ShippedQueries.Query> heatmaps = ShippedQueries.panels(DEPLOY.resolve("grafana/dashboards")).stream()
                .filter(q -> q.toString().contains("by slot range")).toList();
        assertThat(heatmaps).hasSize(2);
        for (ShippedQueries.Query q : heatmaps) {
            List<String> buckets = new ArrayList<>();
            await("rows in " + q, Duration.ofMinutes(2), () -> {
                buckets.clear();
                query(q.expr()).path("data").path("result").forEach(r -> buckets.add(r.path("metric").path("bucket").asString("")));
                return buckets.size() >= 10;
            }, buckets::toString);
            assertThat(buckets).allMatch(b -> b.matches("[0-9]{1,3}") && Integer.parseInt(b) <= 163).doesNotHaveDuplicates();
        }
    }
}
