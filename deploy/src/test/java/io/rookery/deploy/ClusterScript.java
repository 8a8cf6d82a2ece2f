package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/rookery-cluster} as a user does, its output (stdout and stderr together) in a file, so the
 * processes it leaves running in the background hold no pipe of ours. A run that does not end within its
 * bound is killed and fails the test.
 */
final class ClusterScript {
    record Run(int exit, String output) {
    }

    private ClusterScript() {
    }

    static Run run(Map<String, String> env, Duration bound, String... args) throws Exception {
        Path out = Files.createTempFile("rookery-cluster", ".out");
        List<String> command = new ArrayList<>(List.of(ServiceJar.repository().resolve("bin/rookery-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).start();
        boolean ended = p.waitFor(bound.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out);
        Files.deleteIfExists(out);
        assertThat(ended).as("bin/rookery-cluster %s ends within %s s; its output:%n%s", String.join(" ", args),
                bound.toSeconds(), output).isTrue();
        return new Run(p.exitValue(), output);
    }
}
