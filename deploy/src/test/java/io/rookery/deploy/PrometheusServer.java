package io.rookery.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus server (the {@code prometheus} binary, Debian's package on CI) run on loopback with a
 * given configuration, and its HTTP query API. The binary is {@code $ROOKERY_PROMETHEUS}, else
 * {@code prometheus} on the PATH, else {@code ~/.cache/rookery-compose/bin/prometheus} (where
 * {@code tools/compose/docker-here promtool} puts it); none of them fails with that advice.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path log;
    final int port;

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Path binary() {
        return binary("prometheus", "ROOKERY_PROMETHEUS");
    }

    /**
     * One of the Prometheus package's binaries ({@code prometheus}, {@code promtool}): {@code $variable}, else
     * on the PATH, else in {@code ~/.cache/rookery-compose/bin}.
     */
    static Path binary(String name, String variable) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path cached = Path.of(System.getProperty("user.home"), ".cache", "rookery-compose", "bin", name);
        if (Files.isExecutable(cached)) {
            return cached;
        }
        throw new AssertionError("no " + name + " binary: set " + variable + ", install one on the PATH, or run"
                + " tools/compose/docker-here promtool (extracts prometheus and promtool from Debian's package into "
                + cached.getParent() + ")");
    }

    /** Starts Prometheus with {@code config} (YAML) in {@code dir}; returns once {@code /-/ready} answers 200. */
    static PrometheusServer start(Path dir, String config) throws IOException, InterruptedException {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        int port = ServiceJar.freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary().toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, log, port);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("prometheus exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(server.request("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new AssertionError("prometheus not ready within 60 s:\n" + Files.readString(log));
    }

    private HttpRequest request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30)).build();
    }

    /** GET of an API path ({@code /api/v1/targets}), the whole JSON answer (errors included: Prometheus answers them as JSON). */
    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** An instant query ({@code /api/v1/query}) evaluated now: {@code status}, {@code data.result}, or {@code error}. */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    String log() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
