package io.rookery.node.cluster;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What the failover tests share: cluster-mode nodes of both kinds (Rookery in-process or as a child
 * JVM, real redis-server) with {@code cluster-node-timeout 2000}, waiting for a condition with a
 * deadline, each node's view of the cluster as CLUSTER NODES prints it, and a writer that keeps
 * writing through Lettuce's cluster client and remembers which writes were acknowledged.
 */
final class ClusterFixture {
    static final String NODE_TIMEOUT = "2000";

    private ClusterFixture() {
    }

    /** An in-process Rookery node in cluster mode, with extra directive pairs. */
    static TestNode rookery(String... directives) throws Exception {
        Path dir = Files.createTempDirectory("cluster-node");
        return TestNode.start(c -> {
            try {
                c.load("cluster-enabled", "yes");
                c.load("cluster-node-timeout", NODE_TIMEOUT);
                c.load("cluster-port", Integer.toString(RealRedis.freePort()));
                c.load("dir", dir.toString());
                for (int i = 0; i + 1 < directives.length; i += 2) {
                    c.load(directives[i], directives[i + 1]);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A Rookery node in its own JVM, so that it can be killed with SIGKILL. */
    static NodeProcess rookeryProcess() throws Exception {
        Path dir = Files.createTempDirectory("cluster-process");
        return NodeProcess.start(List.of("-Xmx256m", "-XX:+UseSerialGC"), "cluster-enabled", "yes", "cluster-node-timeout",
                NODE_TIMEOUT, "cluster-port", Integer.toString(RealRedis.freePort()), "dir", dir.toString(),
                "repl-diskless-sync-delay", "0");
    }

    static RealRedis redis() {
        return RealRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", NODE_TIMEOUT,
                "--cluster-port", Integer.toString(RealRedis.freePort()), "--repl-diskless-sync-delay", "0");
    }

    static String id(int port) {
        return RedisCli.run(port, "CLUSTER", "MYID").trim();
    }

    static int busPort(int port) {
        String me = RedisCli.run(port, "CLUSTER", "NODES").lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
        return Integer.parseInt(me.split(" ")[1].replaceAll(".*@", "").replaceAll(",.*", ""));
    }

    /** {@code from} meets {@code to} (its bus port read from {@code to} itself). */
    static void meet(int from, int to) {
        String reply = RedisCli.run(from, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(to), Integer.toString(busPort(to))).trim();
        if (!reply.equals("OK")) {
            throw new IllegalStateException("CLUSTER MEET from " + from + " to " + to + ": " + reply);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Every node says cluster_state:ok and knows {@code known} nodes. */
    static boolean agreeOk(List<Integer> ports, int known) {
        for (int p : ports) {
            String info = RedisCli.run(p, "CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + known)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the node on {@code port} calls itself a primary serving {@code range} ("0-5460"). */
    static boolean serves(int port, String range) {
        return RedisCli.run(port, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,master") && l.endsWith(" " + range));
    }

    /** Whether the node on {@code port} calls itself a primary. */
    static boolean isPrimary(int port) {
        return RedisCli.run(port, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,master"));
    }

    /** Whether the node on {@code port} calls itself a replica of {@code primaryId}. */
    static boolean replicates(int port, String primaryId) {
        return RedisCli.run(port, "CLUSTER", "NODES").lines()
                .anyMatch(l -> l.contains("myself,slave") && l.split(" ")[3].equals(primaryId));
    }

    /** The primary on {@code port} has a replica online (its INFO says so; Redis and Rookery alike). */
    static boolean replicaOnline(int primary) {
        return RedisCli.run(primary, "INFO", "replication").contains("state=online");
    }

    /**
     * SET on {@code port}, then WAIT for one replica on the same connection (WAIT counts the
     * replicas that acknowledged that connection's last write): how many acknowledged it.
     */
    static long setAndWait(int port, String key, String value) {
        try (Lettuce c = Lettuce.connect(port, ProtocolVersion.RESP2)) {
            if (!"OK".equals(c.sync().set(key, value))) {
                throw new IllegalStateException("SET " + key + " on " + port + " failed");
            }
            return c.sync().waitForReplication(1, 5000);
        }
    }

    /**
     * The node on {@code port}'s view of the cluster: per node id, what every node must agree on
     * (address, flags without {@code myself}, primary, config epoch, link state, slots); ping and
     * pong times are left out.
     */
    static Map<String, String> view(int port) {
        Map<String, String> view = new TreeMap<>();
        for (String line : RedisCli.run(port, "CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            String flags = f[2].replace("myself,", "");
            String link = f[2].contains("myself") ? "connected" : f[7];
            StringBuilder slots = new StringBuilder();
            for (int i = 8; i < f.length; i++) {
                slots.append(' ').append(f[i]);
            }
            view.put(f[0], f[1] + " " + flags + " " + f[3] + " " + f[6] + " " + link + slots);
        }
        return view;
    }

    /** Every node in {@code ports} prints the same CLUSTER NODES (see {@link #view}). */
    static boolean nodesAgree(List<Integer> ports) {
        Map<String, String> first = view(ports.get(0));
        return ports.stream().allMatch(p -> view(p).equals(first));
    }

    /**
     * Writes {@code k:<n>} = n through Lettuce's cluster client on a thread of its own, n counting up,
     * until closed; remembers the acknowledged writes and every error a write ended with.
     */
    static final class Writer implements AutoCloseable {
        private final RedisClusterClient client;
        private final StatefulRedisClusterConnection<String, String> connection;
        private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(int seedPort) {
            client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(seedPort)
                    .withTimeout(Duration.ofSeconds(15)).build());
            client.setOptions(ClusterClientOptions.builder().maxRedirects(5)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
                    .build());
            connection = client.connect();
            thread = new Thread(this::run, "cluster-writer");
            thread.start();
        }

        private void run() {
            for (int n = 0; running.get(); n++) {
                try {
                    connection.sync().set("k:" + n, Integer.toString(n));
                    acknowledged.add(n);
                } catch (RuntimeException e) {
                    errors.add("k:" + n + ": " + e);
                }
            }
        }

        int acknowledgedCount() {
            return acknowledged.size();
        }

        /** Waits until {@code more} writes beyond the ones acknowledged now were acknowledged. */
        void awaitMore(int more) throws InterruptedException {
            int target = acknowledged.size() + more;
            await(more + " more acknowledged writes (errors so far: " + errors + ")", () -> acknowledged.size() >= target);
        }

        /** Stops writing; returns the acknowledged writes. */
        Set<Integer> stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            return new TreeSet<>(acknowledged);
        }

        List<String> errors() {
            return errors;
        }

        /** The acknowledged writes that do not read back (through the same cluster client). */
        List<String> lost(Set<Integer> written) {
            List<String> lost = new ArrayList<>();
            for (int n : written) {
                String v = connection.sync().get("k:" + n);
                if (!Integer.toString(n).equals(v)) {
                    lost.add("k:" + n + "=" + v);
                }
            }
            return lost;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
