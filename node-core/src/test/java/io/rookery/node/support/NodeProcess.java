package io.rookery.node.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node in a child JVM (see {@link NodeMain}), for tests about the process itself: exit codes, heap
 * limits, files left behind. Its stdout and stderr go to a file the test can read. Closing kills it.
 */
public final class NodeProcess implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final Process process;
    private final Path output;
    private final int port;

    private NodeProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /**
     * Starts a child JVM with {@code jvmOptions} running a node on a free loopback port with
     * {@code save ""} and the given directive pairs; returns once it printed READY or exited.
     */
    public static NodeProcess start(List<String> jvmOptions, String... directives) throws IOException {
        int port = RealRedis.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeMain.class.getName(),
                "bind", "127.0.0.1", "port", Integer.toString(port), "save", ""));
        cmd.addAll(List.of(directives));
        Path output = Files.createTempFile("node-process", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        NodeProcess node = new NodeProcess(p, output, port);
        node.awaitReadyOrExit();
        return node;
    }

    private void awaitReadyOrExit() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (process.isAlive() && !output().contains(NodeMain.READY)) {
            if (System.currentTimeMillis() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the child node neither started nor exited: " + output());
            }
            sleep(20);
        }
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    /** Waits (bounded) for the child to exit and returns its exit code; fails if it is still running. */
    public int exitCode(long timeoutSeconds) throws InterruptedException, IOException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the child node was still running after " + timeoutSeconds + " s: " + output());
        }
        return process.exitValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9: no shutdown, no save, no flush of anything the node had not written yet. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(output);
    }
}
