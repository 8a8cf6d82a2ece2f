package io.rookery.node.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js program of the test resources ({@code /clients/NAME.js}, beside this module's tests) run by
 * {@code node} as a child process with the JavaScript clients applications use (ioredis, node-redis) from the
 * npm registry in {@code ~/.cache/rookery-js-clients} ({@code .ci/run} installs them;
 * {@code -Drookery.js-clients=DIR} points elsewhere). Without Node.js or the clients it fails saying how to get them.
 */
public final class NodeJsProgram {
    private NodeJsProgram() {
    }

    /** Runs {@code program} with {@code args} (copied into {@code dir} first); returns its trimmed output once it exits 0. */
    public static String run(String program, Path dir, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(program);
        if (!Files.exists(file)) {
            try (InputStream in = NodeJsProgram.class.getResourceAsStream("/clients/" + program)) {
                assertThat(in).as("test resource /clients/%s", program).isNotNull();
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

    private static Path modules() {
        Path dir = Path.of(System.getProperty("rookery.js-clients",
                System.getProperty("user.home") + "/.cache/rookery-js-clients")).resolve("node_modules");
        if (!Files.isDirectory(dir.resolve("ioredis")) || !Files.isDirectory(dir.resolve("redis"))) {
            throw new IllegalStateException("this test needs ioredis and node-redis in " + dir
                    + ": npm install --prefix " + dir.getParent() + " ioredis@5.11.1 redis@5.12.1 (as .ci/run does)");
        }
        return dir;
    }
}
