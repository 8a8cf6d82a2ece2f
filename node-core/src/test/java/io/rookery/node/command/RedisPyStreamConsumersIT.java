package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-py stream consumers in a group, as applications run them: one producer, two consumers, one of
 * which dies holding a batch it read, and XAUTOCLAIM recovery by the other. Every job is processed
 * exactly once and nothing stays pending (the program, in {@code clients/stream_consumers.py}, asserts
 * it). The same program runs against real redis-server first, so it is known to pass where Redis does.
 */
class RedisPyStreamConsumersIT {

    /** Debian's interpreter, where python3-redis installs (a pyenv shim first on PATH has no redis module). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static String run(int port, Path dir) throws IOException, InterruptedException {
        Path program = dir.resolve("stream_consumers.py");
        try (InputStream in = RedisPyStreamConsumersIT.class.getResourceAsStream("/clients/stream_consumers.py")) {
            Files.write(program, in.readAllBytes());
        }
        Path scratch = Files.createDirectories(dir.resolve("ledgers-" + port));
        Process p;
        try {
            p = new ProcessBuilder(python(), program.toString(), Integer.toString(port), scratch.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs python3 with Debian's python3-redis (apt-get install -y python3-redis)", e);
        }
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("python3 finished: " + out).isTrue();
        assertThat(out).as("python3 output").doesNotContain("No module named 'redis'");
        assertThat(p.exitValue()).as(out).isZero();
        return out.trim();
    }

    @Test
    void everyJobIsProcessedOnceThroughACrashAndXautoclaim(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            assertThat(run(redis.port(), dir)).as("the program against real redis-server").isEqualTo("ok 400");
        }
        try (TestNode node = TestNode.start()) {
            assertThat(run(node.port(), dir)).isEqualTo("ok 400");
        }
    }
}
