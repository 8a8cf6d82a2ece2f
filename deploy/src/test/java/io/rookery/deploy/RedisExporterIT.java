package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What README promises redis_exporter users: oliver006's redis_exporter (Debian's
 * {@code prometheus-redis-exporter}, which {@code tools/compose/docker-here exporter} extracts into
 * {@code ~/.cache/rookery-compose/bin}, or {@code $ROOKERY_REDIS_EXPORTER}) pointed at a Rookery node reads it
 * as it reads redis-server: the node is up, its version, role and keyspace, command statistics and memory come
 * out under redis_exporter's usual metric names, so dashboards built on them keep working.
 */
@Tag("dashboards")
class RedisExporterIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void redisExporterReadsARookeryNodeAsARedisServer() throws Exception {
        Path work = Files.createTempDirectory("redis-exporter-it");
        int port = ServiceJar.freePort();
        try (ServiceJar node = ServiceJar.start("node", "node-service/target/rookery-node.jar", ServiceJar.freePort(), work,
                List.of("--rookery.node.bind=127.0.0.1", "--rookery.node.port=" + port,
                        "--rookery.node.directives.dir=" + work, "--rookery.node.directives.save="))) {
            node.awaitReady(Duration.ofMinutes(2));
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (var connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                redis.set("greeting", "hello");
                redis.set("counter", "1");
                redis.rpush("queue", "a", "b");
            } finally {
                client.shutdown();
            }

            int exporterPort = ServiceJar.freePort();
            Path log = work.resolve("redis_exporter.log");
            Process exporter = new ProcessBuilder(PrometheusServer.binary("redis_exporter", "ROOKERY_REDIS_EXPORTER").toString(),
                    "-redis.addr", "redis://127.0.0.1:" + port, "-web.listen-address", "127.0.0.1:" + exporterPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
            try {
                String metrics = scrape(exporterPort, exporter, log);
                assertThat(metrics.lines()).as("redis_exporter's metrics of a Rookery node; its log:%n%s", Files.readString(log))
                        .contains("redis_up 1", "redis_exporter_last_scrape_error{err=\"\"} 0", "redis_db_keys{db=\"db0\"} 3",
                                "redis_commands_total{cmd=\"set\"} 2", "redis_commands_total{cmd=\"rpush\"} 1")
                        .anyMatch(l -> l.startsWith("redis_instance_info{") && l.contains("redis_version=\"7.0.15\"")
                                && l.contains("role=\"master\"") && l.contains("tcp_port=\"" + port + "\"") && l.endsWith(" 1"))
                        .anyMatch(l -> l.matches("redis_memory_used_bytes [1-9].*"))
                        .anyMatch(l -> l.matches("redis_connected_clients [1-9][0-9]*"))
                        .anyMatch(l -> l.matches("redis_uptime_in_seconds [0-9]+"));
                assertThat(Files.readAllLines(log)).as("redis_exporter's log").noneMatch(l -> l.contains("level=error"));
            } finally {
                exporter.destroy();
                exporter.waitFor();
            }
        }
    }

    /** The exporter's /metrics once it answers (each scrape asks the node afresh). */
    private static String scrape(int port, Process exporter, Path log) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(20)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            assertThat(exporter.isAlive()).as("redis_exporter runs; its log:%n%s", Files.readString(log)).isTrue();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("redis_exporter did not answer on :" + port + "; its log:\n" + Files.readString(log));
    }
}
