package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml end to end on a real Docker engine, through {@code tools/compose/e2e.sh}: the engine
 * started when none runs and the base images built locally when no registry answers
 * ({@code tools/compose/docker-here}), the project's images built from the reactor's jars,
 * {@code docker compose up --wait}; then 10 000 keys written with redis-cli through the gateway,
 * {@code redis-cli --cluster check} clean, a fourth primary added and rebalanced through the admin REST API
 * with every key intact, the sentinel group failing over when its primary's container is killed, every
 * Prometheus target up and every shipped dashboard panel query answered with series by that Prometheus, and
 * {@code docker compose down -v} leaving no container, volume or network behind. The script checks each step
 * and exits non-zero when any failed; its whole report (the time from up to ready, memory per service, where
 * the time went) is printed here so that a CI log holds the figures.
 *
 * <p>Needs root (the engine is Debian's docker.io, installed and started on demand) unless a Docker engine
 * with compose v2 already answers; without either it fails with docker-here's reason.
 */
@Tag("compose")
class ComposeEndToEndIT {
    /** Bound on the whole run: a fresh machine's base images and builds take minutes, a hung step must not hang CI. */
    private static final long BOUND_MINUTES = 30;

    @Test
    void theComposeTopologyServesRebalancesFailsOverAndIsMonitored() throws Exception {
        Path repository = ServiceJar.repository();
        for (String jar : List.of("node-service/target/rookery-node.jar", "sentinel-service/target/rookery-sentinel.jar",
                "cluster-admin-service/target/rookery-admin.jar", "gateway/target/rookery-gateway.jar")) {
            assertThat(repository.resolve(jar)).as("%s (built by the reactor's package phase before this module's tests;"
                    + " run mvn -B -DskipTests package first when running this test alone)", jar).isRegularFile();
        }
        Path out = Files.createTempFile("rookery-compose-e2e", ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", repository.resolve("tools/compose/e2e.sh").toString())
                .directory(repository.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().put("KEEP", "0");
        Process run = pb.start();
        boolean ended = run.waitFor(BOUND_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
            run.waitFor(60, TimeUnit.SECONDS); // e2e.sh's exit trap takes the topology down
            run.destroyForcibly();
        }
        String report = Files.readString(out);
        Files.deleteIfExists(out);
        System.out.println(report);
        assertThat(ended).as("tools/compose/e2e.sh ends within %d min; its output:%n%s", BOUND_MINUTES, report).isTrue();
        assertThat(run.exitValue()).as("tools/compose/e2e.sh's exit status (each FAIL line says which check failed):%n%s",
                report).isZero();
        assertThat(report).as("the script's own tally").contains("failures: 0");
    }
}
