package io.rookery.node.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python program with Debian's python3-redis as a child process and returns what it printed,
 * failing the test (with its output) when it did not finish in time, could not import redis, or
 * exited non-zero.
 */
public final class RedisPy {
    private RedisPy() {
    }

    /** Debian's interpreter, where python3-redis installs (a pyenv shim first on PATH has no redis module). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Runs {@code python3 args...} (a script path or {@code -c program}, then its arguments); its trimmed output. */
    public static String run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs python3 with Debian's python3-redis (apt-get install -y python3-redis)", e);
        }
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("python3 finished: " + out).isTrue();
        assertThat(out).as("python3 output").doesNotContain("No module named 'redis'");
        assertThat(p.exitValue()).as(out).isZero();
        return out.trim();
    }
}
