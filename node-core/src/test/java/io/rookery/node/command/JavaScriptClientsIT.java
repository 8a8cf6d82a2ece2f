package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js clients applications use, run by {@code node} as child processes (programs in
 * {@code src/test/resources/clients}): ioredis stream consumers in a group through a consumer's crash
 * and XAUTOCLAIM recovery, and node-redis 5's client-side cache over RESP3 seeing invalidations. Each
 * program runs against real redis-server first, so it is known to pass where Redis does.
 *
 * <p>The clients come from the npm registry into {@code ~/.cache/rookery-js-clients} ({@code .ci/run}
 * installs them; {@code -Drookery.js-clients=DIR} points elsewhere).
 */
class JavaScriptClientsIT {

    private static Path modules() {
        Path dir = Path.of(System.getProperty("rookery.js-clients",
                System.getProperty("user.home") + "/.cache/rookery-js-clients")).resolve("node_modules");
        if (!Files.isDirectory(dir.resolve("ioredis")) || !Files.isDirectory(dir.resolve("redis"))) {
            throw new IllegalStateException("this test needs ioredis and node-redis in " + dir
                    + ": npm install --prefix " + dir.getParent() + " ioredis@5.11.1 redis@5.12.1 (as .ci/run does)");
        }
        return dir;
    }

    private static String run(String program, Path dir, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(program);
        if (!Files.exists(file)) {
            try (InputStream in = JavaScriptClientsIT.class.getResourceAsStream("/clients/" + program)) {
                Files.write(file, in.readAllBytes());
            }
        }
        List<String> command = new ArrayList<>(List.of("node", file.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules().toString());
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs Node.js (apt-get install -y nodejs npm, as .ci/run does)", e);
        }
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("node finished: " + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.trim();
    }

    @Test
    void ioredisStreamConsumersProcessEveryJobOnceThroughACrashAndXautoclaim(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            Path ledgers = Files.createDirectories(dir.resolve("redis"));
            assertThat(run("stream_consumers_ioredis.js", dir, Integer.toString(redis.port()), ledgers.toString()))
                    .as("the program against real redis-server").isEqualTo("ok 400");
        }
        try (TestNode node = TestNode.start()) {
            Path ledgers = Files.createDirectories(dir.resolve("rookery"));
            assertThat(run("stream_consumers_ioredis.js", dir, Integer.toString(node.port()), ledgers.toString()))
                    .isEqualTo("ok 400");
        }
    }

    @Test
    void nodeRedisClientSideCacheSeesInvalidations(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            assertThat(run("client_side_cache_node_redis.js", dir, Integer.toString(redis.port())))
                    .as("the program against real redis-server").isEqualTo("ok");
        }
        try (TestNode node = TestNode.start()) {
            assertThat(run("client_side_cache_node_redis.js", dir, Integer.toString(node.port()))).isEqualTo("ok");
        }
    }
}
