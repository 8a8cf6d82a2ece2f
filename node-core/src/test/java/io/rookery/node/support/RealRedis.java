package io.rookery.node.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server (Debian's package) on a free loopback port, for interop tests. Fails with a
 * clear message when the binary is missing: .ci/run installs it.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;
    /** The arguments it was started with; null for a sentinel. */
    private final List<String> extraArgs;

    private RealRedis(Process process, int port, Path dir, List<String> extraArgs) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    public static String binary(String name) {
        for (String d : new String[]{"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed: this interop test needs Debian's redis-server, "
                + "redis-tools and redis-sentinel packages (apt-get install -y redis-server redis-tools redis-sentinel); "
                + ".ci/run installs them.");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RealRedis start(String... extraArgs) {
        try {
            return launch(freePort(), Files.createTempDirectory("real-redis"), List.of(extraArgs));
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
    }

    /**
     * Starts redis-server again, after {@link #kill} or {@link #close}, on this one's port and directory
     * with the same arguments: it reads back whatever it left there (nodes.conf, an AOF).
     */
    public RealRedis restart() {
        if (extraArgs == null) {
            throw new IllegalStateException("only a redis-server started by start() restarts");
        }
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        try {
            return launch(port, dir, extraArgs);
        } catch (IOException e) {
            throw new IllegalStateException("could not restart redis-server", e);
        }
    }

    private static RealRedis launch(int port, Path dir, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary("redis-server"), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RealRedis r = new RealRedis(p, port, dir, List.copyOf(extraArgs));
        r.awaitReady();
        return r;
    }

    /**
     * A real redis-sentinel on a free loopback port, reading a config file made of {@code lines} (it
     * rewrites the file with its state, as it does in production).
     */
    public static RealRedis startSentinel(List<String> lines) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("real-sentinel");
            List<String> conf = new ArrayList<>(List.of("port " + port, "bind 127.0.0.1", "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log")));
            conf.addAll(lines);
            Path file = dir.resolve("sentinel.conf");
            Files.write(file, conf);
            Process p = new ProcessBuilder(binary("redis-sentinel"), file.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            RealRedis r = new RealRedis(p, port, dir, null);
            r.awaitReady();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-sentinel", e);
        }
    }

    /** kill -9: no shutdown, no goodbye to its peers. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process keeps its sockets open but reads nothing until {@link #resume()}. */
    public void suspend() {
        signal("STOP");
    }

    /** SIGCONT after {@link #suspend()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name, e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until the server answers PING with PONG. An accepted connection is not enough: Redis
     * accepts connections while it loads its data and answers {@code -LOADING} until it is done.
     */
    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "no connection";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " (log in " + dir + ")");
            }
            last = ping(port);
            if (serving(last)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for redis-server", ie);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 30 s; last: " + last);
    }

    /** Whether a PING reply shows a server serving commands (a password-protected one says NOAUTH). */
    public static boolean serving(String pingReply) {
        return pingReply.equals("+PONG") || pingReply.startsWith("-NOAUTH");
    }

    /** One PING on a fresh connection: the reply line, or what went wrong. */
    public static String ping(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(2_000);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
