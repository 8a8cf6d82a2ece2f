package io.rookery.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service's {@code main} run in a child JVM on the test's own class path, for tests about the
 * process (exit status, output), with stdout and stderr captured in a file. Closing it kills the
 * process if it still runs.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private ServiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code main} with {@code args}; the output goes to {@code output}. */
    public static ServiceProcess start(Class<?> main, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new ServiceProcess(p, output);
    }

    /**
     * Waits for the process to end; fails (naming the output) when it still runs after {@code bound}.
     * The bound only tells a hang from an exit: it is not a measure of speed.
     */
    public int awaitExit(Duration bound) throws InterruptedException, IOException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process still runs " + bound.toSeconds() + " s after start; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** Asks the process to end as a supervisor would (SIGTERM); {@link #awaitExit} waits for it. */
    public void terminate() {
        process.destroy();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /** A loopback port that is bound and listening while the returned socket stays open. */
    public static ServerSocket takenPort() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
