package io.rookery.admin;

import io.rookery.admin.cluster.ClusterConnections;
import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.NodeAddress;
import io.rookery.admin.cluster.NodeConnector;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Cluster-enabled nodes for the admin tests: real redis-server 7.0 processes or in-process Rookery
 * nodes, on free loopback ports, node timeout 2 s. Helpers build a cluster with redis-cli, write keys,
 * checksum every key and value, and run redis-cli --cluster check. Closing stops every node.
 */
public final class TestCluster implements AutoCloseable {
    public enum Kind { REDIS, ROOKERY }

    private final Kind kind;
    private final String password;
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final java.util.Map<Integer, RookerySpec> rookerySpecs = new java.util.HashMap<>();
    private final NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));

    public TestCluster(Kind kind) {
        this(kind, null);
    }

    /** Nodes that require {@code password} (requirepass and masterauth), real Redis only. */
    public TestCluster(Kind kind, String password) {
        this.kind = kind;
        this.password = password;
    }

    /** redis-cli against {@code port}, authenticated when the cluster has a password. */
    public String cli(int port, String... args) {
        return cli(port, null, args);
    }

    private String cli(int port, byte[] stdin, String... args) {
        return RedisCli.run(port, stdin, withAuth(password, args));
    }

    private static String[] withAuth(String password, String[] args) {
        if (password == null) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of("-a", password, "--no-auth-warning"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Starts one more empty cluster-enabled node; returns its port. */
    public int startNode() throws Exception {
        return startNode(false);
    }

    /**
     * Starts one more empty cluster-enabled node; {@code durable} turns the append-only file on, so a node
     * stopped or killed and then {@link #restart restarted} comes back with its keys (and, durable or not,
     * with its nodes.conf). Returns its port.
     */
    public int startNode(boolean durable) throws Exception {
        if (kind == Kind.REDIS) {
            List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-node-timeout", "2000",
                    "--cluster-port", Integer.toString(RealRedis.freePort())));
            if (password != null) {
                args.addAll(List.of("--requirepass", password, "--masterauth", password));
            }
            if (durable) {
                args.addAll(List.of("--appendonly", "yes"));
            }
            RealRedis r = RealRedis.start(args.toArray(String[]::new));
            nodes.add(r);
            ports.add(r.port());
            return r.port();
        }
        RookerySpec spec = new RookerySpec(Files.createTempDirectory("admin-cluster-node"), RealRedis.freePort(), durable);
        TestNode n = spec.start(0);
        nodes.add(n);
        ports.add(n.port());
        rookerySpecs.put(n.port(), spec);
        return n.port();
    }

    /** How an in-process Rookery node was started, to start it again the same way. */
    private record RookerySpec(Path dir, int clusterPort, boolean durable) {
        TestNode start(int port) {
            return TestNode.start(c -> {
                try {
                    c.load("port", Integer.toString(port));
                    c.load("cluster-enabled", "yes");
                    c.load("cluster-node-timeout", "2000");
                    c.load("cluster-port", Integer.toString(clusterPort));
                    c.load("dir", dir.toString());
                    if (durable) {
                        c.load("appendonly", "yes");
                    }
                } catch (ConfigException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /**
     * Starts node {@code index} again after {@link #kill}: same port, cluster port and directory, so it
     * comes back as the same node id with its nodes.conf (and its keys when it is durable).
     */
    public void restart(int index) {
        AutoCloseable n = nodes.get(index);
        if (n instanceof RealRedis r) {
            nodes.set(index, r.restart());
        } else {
            int port = ports.get(index);
            nodes.set(index, rookerySpecs.get(port).start(port));
        }
    }

    public List<Integer> ports() {
        return ports;
    }

    public NodeAddress address(int port) {
        return new NodeAddress("127.0.0.1", port);
    }

    public List<NodeAddress> addresses() {
        return ports.stream().map(this::address).toList();
    }

    /** A handle on the cluster seeded with every node started so far. */
    public ClusterHandle handle(String name) {
        return new ClusterHandle(name, addresses(), new ClusterConnections(connector, new Credentials(null, password)));
    }

    /** Kills node {@code index} (kill -9 for real Redis, a stop for an in-process node). */
    public void kill(int index) throws Exception {
        AutoCloseable n = nodes.get(index);
        if (n instanceof RealRedis r) {
            r.kill();
        } else {
            n.close();
        }
    }

    /** redis-cli --cluster create of the given ports with {@code replicas} replicas per primary. */
    public void createWithRedisCli(List<Integer> of, int replicas) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        of.forEach(p -> args.add("127.0.0.1:" + p));
        args.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
        String out = cli(of.get(0), args.toArray(String[]::new));
        if (!out.contains("[OK] All 16384 slots covered.")) {
            throw new IllegalStateException("redis-cli --cluster create failed: " + out);
        }
        awaitClean(of.get(0), password);
    }

    /** Writes {@code count} string keys {@code key:i} through redis-cli -c (one process, piped). */
    public void writeKeys(int count) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < count; i++) {
            in.append("SET key:").append(i).append(" value-").append(i).append('\n');
        }
        String out = cli(ports.get(0), in.toString().getBytes(StandardCharsets.UTF_8), "-c");
        if (out.lines().filter(l -> l.equals("OK")).count() != count) {
            throw new IllegalStateException("not every key was written: " + out.lines().limit(5).toList());
        }
    }

    /** SHA-256 over every key=value of every primary, in key order (string values). */
    public String checksum() {
        TreeMap<String, String> all = new TreeMap<>();
        for (int p : ports) {
            String role = cli(p, "ROLE");
            if (!role.startsWith("master")) {
                continue;
            }
            for (String key : cli(p, "--scan").lines().filter(l -> !l.isBlank()).toList()) {
                all.put(key, cli(p, "GET", key).trim());
            }
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            all.forEach((k, v) -> d.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return all.size() + ":" + HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** redis-cli --cluster check's output for the cluster node {@code port} belongs to. */
    public static String check(int port) {
        return check(port, null);
    }

    public static String check(int port, String password) {
        return RedisCli.run(port, withAuth(password, new String[]{"--cluster", "check", "127.0.0.1:" + port}));
    }

    public static boolean clean(String check) {
        return check.contains("[OK] All nodes agree about slots configuration.")
                && check.contains("[OK] All 16384 slots covered.") && !check.contains("[ERR]")
                && !check.contains("[WARNING]");
    }

    /**
     * Waits until redis-cli --cluster check is clean from {@code port} and every node of the cluster
     * says cluster_state:ok; fails with the last output.
     */
    public static void awaitClean(int port) throws InterruptedException {
        awaitClean(port, null);
    }

    public static void awaitClean(int port, String password) throws InterruptedException {
        String[] last = {""};
        await("redis-cli --cluster check to be clean", () -> clean(last[0] = check(port, password))
                && allOk(port, password), () -> last[0]);
    }

    private static boolean allOk(int port, String password) {
        for (String line : RedisCli.run(port, withAuth(password, new String[]{"CLUSTER", "NODES"})).lines().toList()) {
            String[] f = line.split(" ");
            if (f.length < 2 || f[2].contains("fail")) {
                continue;
            }
            int p = Integer.parseInt(f[1].replaceAll("@.*", "").replaceAll(".*:", ""));
            if (!RedisCli.run(p, withAuth(password, new String[]{"CLUSTER", "INFO"})).contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    public static void await(String what, BooleanSupplier condition, java.util.function.Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable n : nodes) {
            try {
                n.close();
            } catch (Exception ignored) {
                // best effort: the next node still has to go
            }
        }
        connector.close();
    }
}
