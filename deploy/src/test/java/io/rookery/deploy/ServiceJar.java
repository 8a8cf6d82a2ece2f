package io.rookery.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service's packaged jar ({@code node-service/target/rookery-node.jar}, ...) run in a child JVM, as
 * a user runs it, with its output in a log file. The jars come from the reactor's {@code package} phase,
 * which runs before this module's tests in {@code mvn verify}; a missing jar fails with the command that
 * builds it. Closing it stops the process (SIGTERM, then SIGKILL after 20 s).
 */
final class ServiceJar implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String name;
    final int httpPort;
    private final Process process;
    private final Path log;

    private ServiceJar(String name, int httpPort, Process process, Path log) {
        this.name = name;
        this.httpPort = httpPort;
        this.process = process;
        this.log = log;
    }

    /** The repository root: this module's parent (surefire runs in the module's directory). */
    static Path repository() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** A free loopback port (bound and released; the services bind it a moment later). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * Starts {@code jar} (relative to the repository) as {@code name}, its HTTP side on {@code httpPort};
     * {@code args} are the service's own arguments.
     */
    static ServiceJar start(String name, String jar, int httpPort, Path logs, List<String> args) throws IOException {
        Path file = repository().resolve(jar);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(file + " is missing: build the service jars first (mvn -B -DskipTests package,"
                    + " or run this test through mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", file.toString(),
                "--server.port=" + httpPort));
        command.addAll(args);
        Path log = logs.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServiceJar(name, httpPort, p, log);
    }

    /** Waits until {@code /actuator/health/readiness} answers 200; fails with the log's tail when it dies or the bound passes. */
    void awaitReady(Duration bound) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; its log:\n" + logTail());
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " not ready within " + bound.toSeconds() + " s; its log:\n" + logTail());
    }

    String logTail() throws IOException {
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
