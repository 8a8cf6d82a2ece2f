package io.rookery.node.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Rookery nodes in cluster mode, each in its own child JVM ({@link NodeProcess}), and what tests of a
 * whole cluster do with them through redis-cli: create the cluster, wait until {@code --cluster check}
 * is clean, find a node by its role. Nodes start in parallel; closing kills every one still running.
 */
public final class ClusterProcesses implements AutoCloseable {
    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final List<NodeProcess> nodes = new ArrayList<>();
    private final String nodeTimeout;
    private final List<String> extra;

    private ClusterProcesses(String nodeTimeout, List<String> extra) {
        this.nodeTimeout = nodeTimeout;
        this.extra = extra;
    }

    /**
     * Starts {@code count} cluster-mode nodes with {@code cluster-node-timeout} and further directive
     * pairs ({@code extraDirectives}); none of them knows another yet.
     */
    public static ClusterProcesses start(int count, int nodeTimeoutMillis, String... extraDirectives) throws IOException {
        ClusterProcesses c = new ClusterProcesses(Integer.toString(nodeTimeoutMillis), List.of(extraDirectives));
        try {
            c.add(count);
        } catch (RuntimeException | IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Starts {@code count} more nodes (in parallel) and returns them. */
    public List<NodeProcess> add(int count) throws IOException {
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            starting.add(CompletableFuture.supplyAsync(this::startOne));
        }
        List<NodeProcess> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<NodeProcess> f : starting) {
            try {
                started.add(f.join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        nodes.addAll(started);
        if (failure != null) {
            throw failure;
        }
        for (NodeProcess n : started) {
            if (!n.isAlive()) {
                throw new IllegalStateException("a cluster node exited at start: " + n.output());
            }
        }
        return started;
    }

    private NodeProcess startOne() {
        try {
            Path dir = Files.createTempDirectory("cluster-process");
            List<String> directives = new ArrayList<>(List.of("cluster-enabled", "yes", "cluster-node-timeout", nodeTimeout,
                    "cluster-port", Integer.toString(RealRedis.freePort()), "dir", dir.toString()));
            directives.addAll(extra);
            return NodeProcess.start(JVM, directives.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    public NodeProcess node(int i) {
        return nodes.get(i);
    }

    /** {@code 127.0.0.1:port} of a node, as redis-cli --cluster takes it. */
    public static String address(NodeProcess n) {
        return "127.0.0.1:" + n.port();
    }

    /** {@code redis-cli --cluster create} of the first {@code count} nodes with {@code replicas} per primary. */
    public String create(int count, int replicas) {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        nodes.subList(0, count).forEach(n -> args.add(address(n)));
        args.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        return RedisCli.runWithin(120, nodes.get(0).port(), args.toArray(String[]::new));
    }

    /** The node's id (CLUSTER MYID). */
    public static String id(NodeProcess n) {
        return RedisCli.run(n.port(), "CLUSTER", "MYID").trim();
    }

    /** {@code redis-cli --cluster check} through {@code via}. */
    public static String check(NodeProcess via) {
        return RedisCli.run(via.port(), "--cluster", "check", address(via));
    }

    /** Whether a check output is clean: every node agrees, every slot is covered, no slot open, no error. */
    public static boolean clean(String check) {
        return check.contains("[OK] All nodes agree about slots configuration.") && check.contains("[OK] All 16384 slots covered.")
                && !check.contains("[ERR]") && !check.contains("[WARNING]");
    }

    /** Waits (up to 90 s) until {@code redis-cli --cluster check} through {@code via} is clean; returns its output. */
    public static String awaitClean(NodeProcess via) throws InterruptedException {
        String[] last = {""};
        await("a clean redis-cli --cluster check", () -> clean(last[0] = check(via)), () -> last[0]);
        return last[0];
    }

    /** Waits (up to 90 s) for a condition; fails with {@code what} and the last state seen. */
    public static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> lastSeen)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last seen:\n" + lastSeen.get());
            }
            Thread.sleep(200);
        }
    }

    /** Waits (up to 90 s) for a condition. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "");
    }

    /** The node's own line in its CLUSTER NODES. */
    public static String myselfLine(NodeProcess n) {
        return RedisCli.run(n.port(), "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst().orElse("");
    }

    /** Whether the node sees itself as a primary. */
    public static boolean isPrimary(NodeProcess n) {
        return myselfLine(n).contains("myself,master");
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            try {
                n.close();
            } catch (IOException e) {
                // the node is killed; its log file is only left behind
            }
        }
    }
}
