package io.rookery.deploy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker-compose.yml's topology in small, from the services' jars on loopback: a 3-primary cluster
 * declared to the admin service, which creates it at start (as in compose), the gateway in front of
 * it, an HA group (a primary, a replica, a sentinel watching it as {@code mymaster}), and a real
 * Prometheus scraping them all under compose's job names and {@code instance} labels
 * (deploy/prometheus/prometheus.yml), with the shipped alert rules loaded. Once started it has run a
 * short load: writes, hits, misses and expiring keys through the gateway, writes on the HA primary, a
 * MOVED from a cluster node.
 */
final class LocalTopology implements AutoCloseable {
    private static final Path DEPLOY = ServiceJar.repository().resolve("deploy");
    private static final String TOKEN = "dashboards-it";

    final List<ServiceJar> services = new ArrayList<>();
    /** job name → (instance → HTTP port), the scrape targets. */
    private final Map<String, Map<String, Integer>> targets = new LinkedHashMap<>();
    PrometheusServer prometheus;
    int adminPort;
    int gatewayPort;
    final List<Integer> clusterPorts = new ArrayList<>();

    /** Starts everything, creates the cluster, runs the load; closes what it started when a step fails. */
    static LocalTopology start() throws Exception {
        LocalTopology t = new LocalTopology();
        try {
            t.startAll();
            return t;
        } catch (Throwable e) {
            t.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path work = Files.createTempDirectory("rookery-dashboards-it");
        Path logs = Files.createDirectories(work.resolve("logs"));
        PrometheusServer.binary(); // fails at once, with advice, when there is none
        List<ServiceJar> starting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int port = ServiceJar.freePort();
            clusterPorts.add(port);
            starting.add(node("node-" + i, "rookery-cluster-node", port, work, logs, List.of(
                    "--rookery.node.directives.cluster-enabled=yes",
                    "--rookery.node.directives.cluster-config-file=nodes.conf",
                    "--rookery.node.directives.cluster-node-timeout=5000",
                    "--rookery.node.directives.cluster-slot-stats-enabled=yes")));
        }
        int haPrimary = ServiceJar.freePort();
        starting.add(node("ha-primary", "rookery-ha-node", haPrimary, work, logs, List.of()));
        starting.add(node("ha-replica-1", "rookery-ha-node", ServiceJar.freePort(), work, logs,
                List.of("--rookery.node.directives.replicaof=127.0.0.1 " + haPrimary)));
        Path sentinelConf = work.resolve("sentinel-1.conf");
        Files.writeString(sentinelConf, "port " + ServiceJar.freePort() + "\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 "
                + haPrimary + " 1\nsentinel down-after-milliseconds mymaster 5000\nsentinel failover-timeout mymaster 30000\n");
        starting.add(service("sentinel-1", "rookery-sentinel", "sentinel-service/target/rookery-sentinel.jar", logs,
                List.of("--config", sentinelConf.toString())));
        ServiceJar admin = service("admin", "rookery-admin", "cluster-admin-service/target/rookery-admin.jar", logs,
                List.of("--rookery.admin.data-dir=" + Files.createDirectories(work.resolve("admin")),
                        "--rookery.admin.admin-token=" + TOKEN,
                        // ready (below) once it has created the declared cluster
                        "--rookery.admin.topology.nodes=" + String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
                        "--rookery.admin.topology.replicas-per-primary=0",
                        "--rookery.admin.topology.retry-interval=500ms"));
        starting.add(admin);
        for (ServiceJar s : starting) {
            s.awaitReady(Duration.ofMinutes(5));
        }
        adminPort = admin.httpPort;
        gatewayPort = ServiceJar.freePort();
        ServiceJar gateway = service("gateway", "rookery-gateway", "gateway/target/rookery-gateway.jar", logs, List.of(
                "--rookery.gateway.bind=127.0.0.1", "--rookery.gateway.port=" + gatewayPort,
                "--rookery.gateway.seeds=" + String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList())));
        gateway.awaitReady(Duration.ofMinutes(5));

        prometheus = PrometheusServer.start(Files.createDirectories(work.resolve("prometheus")), scrapeConfig());
        load(gatewayPort, haPrimary, clusterPorts.get(0));
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        services.forEach(ServiceJar::close);
    }

    private ServiceJar node(String name, String job, int port, Path work, Path logs, List<String> extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--rookery.node.bind=127.0.0.1", "--rookery.node.port=" + port,
                "--rookery.node.directives.dir=" + Files.createDirectories(work.resolve(name)),
                "--rookery.node.directives.save=", "--rookery.node.directives.appendonly=yes",
                "--rookery.node.directives.maxmemory=64mb"));
        args.addAll(extra);
        return service(name, job, "node-service/target/rookery-node.jar", logs, args);
    }

    private ServiceJar service(String name, String job, String jar, Path logs, List<String> args) throws IOException {
        ServiceJar s = ServiceJar.start(name, jar, ServiceJar.freePort(), logs, args);
        services.add(s);
        targets.computeIfAbsent(job, j -> new LinkedHashMap<>()).put(name, s.httpPort);
        return s;
    }

    /** Compose's job names and instance labels, every target on loopback; the shipped rules loaded as compose loads them. */
    private String scrapeConfig() {
        StringBuilder y = new StringBuilder("global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: ['")
                .append(DEPLOY.resolve("prometheus/alerts.yml")).append("']\nscrape_configs:\n");
        targets.forEach((job, byInstance) -> {
            y.append("  - job_name: ").append(job).append("\n    metrics_path: /actuator/prometheus\n    static_configs:\n");
            byInstance.forEach((instance, port) -> y.append("      - targets: ['127.0.0.1:").append(port)
                    .append("']\n        labels: {instance: ").append(instance).append("}\n"));
        });
        return y.toString();
    }

    /** A short load: writes, hits, misses and expiring keys through the gateway; writes on the HA primary; a redirect. */
    private static void load(int gatewayPort, int haPrimary, int clusterNode) {
        RedisClient client = RedisClient.create();
        try {
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create("127.0.0.1", gatewayPort))) {
                RedisCommands<String, String> r = c.sync();
                for (int i = 0; i < 2000; i++) {
                    r.set("key:" + i, "value-" + i);
                    r.get("key:" + i);
                    r.get("missing:" + i);
                }
                for (int i = 0; i < 50; i++) {
                    r.set("short:" + i, "x", SetArgs.Builder.px(200));
                }
            }
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create("127.0.0.1", haPrimary))) {
                for (int i = 0; i < 500; i++) {
                    c.sync().set("ha:" + i, "v" + i);
                }
            }
            // a plain client that ignores cluster mode meets a MOVED for most keys: a redirect to count
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create("127.0.0.1", clusterNode))) {
                for (int i = 0; i < 20; i++) {
                    try {
                        c.sync().get("key:" + i);
                    } catch (io.lettuce.core.RedisCommandExecutionException moved) {
                        // MOVED, expected for keys on other primaries
                    }
                }
            }
        } finally {
            client.shutdown();
        }
    }
}
