package io.rookery.gateway;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A cluster for gateway tests: real redis-server processes or in-process Rookery nodes, made into one
 * cluster by {@code redis-cli --cluster create} (primaries first, then replicas), waited on until every
 * node says cluster_state:ok.
 */
final class ClusterUnderTest implements AutoCloseable {
    private final List<RealRedis> real = new ArrayList<>();
    private final List<TestNode> rookery = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    static ClusterUnderTest realRedis(int primaries, int replicasEach) {
        ClusterUnderTest c = new ClusterUnderTest();
        for (int i = 0; i < primaries * (1 + replicasEach); i++) {
            RealRedis r = RealRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "2000",
                    "--appendonly", "no");
            c.real.add(r);
            c.ports.add(r.port());
        }
        c.create(replicasEach);
        return c;
    }

    static ClusterUnderTest rookery(int primaries, int replicasEach) throws Exception {
        ClusterUnderTest c = new ClusterUnderTest();
        for (int i = 0; i < primaries * (1 + replicasEach); i++) {
            Path dir = Files.createTempDirectory("gateway-rookery-node");
            TestNode n = TestNode.start(cfg -> {
                try {
                    cfg.load("cluster-enabled", "yes");
                    cfg.load("cluster-node-timeout", "2000");
                    cfg.load("cluster-port", Integer.toString(RealRedis.freePort()));
                    cfg.load("dir", dir.toString());
                } catch (ConfigException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.rookery.add(n);
            c.ports.add(n.port());
        }
        c.create(replicasEach);
        return c;
    }

    private void create(int replicasEach) {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        ports.forEach(p -> args.add("127.0.0.1:" + p));
        args.add("--cluster-replicas");
        args.add(Integer.toString(replicasEach));
        args.add("--cluster-yes");
        String out = RedisCli.run(ports.get(0), args.toArray(String[]::new));
        if (!out.contains("[OK] All 16384 slots covered.")) {
            throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
        }
        await("every node seeing cluster_state:ok", () -> ports.stream()
                .allMatch(p -> RedisCli.run(p, "CLUSTER", "INFO").contains("cluster_state:ok")));
    }

    List<Integer> ports() {
        return ports;
    }

    List<String> seeds() {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** The port of the primary that serves {@code slot}, as node {@code askPort} sees it. */
    int primaryOf(int slot) {
        String slots = RedisCli.run(ports.get(0), "CLUSTER", "NODES");
        for (String line : slots.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue;
                }
                String[] r = f[i].split("-");
                int from = Integer.parseInt(r[0]);
                int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
                if (slot >= from && slot <= to) {
                    return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no primary for slot " + slot);
    }

    /** kill -9 of the node on {@code port} (real Redis only). */
    void kill(int port) {
        for (RealRedis r : real) {
            if (r.port() == port) {
                r.kill();
                return;
            }
        }
        throw new IllegalArgumentException("no real redis on " + port);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        real.forEach(RealRedis::close);
        rookery.forEach(TestNode::close);
    }
}
