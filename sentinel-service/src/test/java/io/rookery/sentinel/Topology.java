package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.fail;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.support.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An HA topology on loopback, in this process: data nodes (a primary and its replicas) and sentinels
 * watching the primary as "mymaster", each sentinel with its own sentinel.conf. Records every event of
 * every sentinel. Close it to stop everything.
 */
final class Topology implements AutoCloseable {
    static final String MASTER = "mymaster";

    record Recorded(int sentinel, SentinelEvent event) {
    }

    final List<TestNode> nodes = new ArrayList<>();
    final List<Sentinel> sentinels = new ArrayList<>();
    final List<Path> sentinelFiles = new ArrayList<>();
    final Queue<Recorded> events = new ConcurrentLinkedQueue<>();

    /** Starts a data node; {@code replicaOfPort} 0 for a primary. */
    TestNode startNode(int port, int replicaOfPort, Consumer<NodeConfig> settings) {
        TestNode n = TestNode.start(c -> {
            try {
                c.load("port", Integer.toString(port));
                if (replicaOfPort != 0) {
                    c.load("replicaof", "127.0.0.1 " + replicaOfPort);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
            settings.accept(c);
        });
        nodes.add(n);
        return n;
    }

    /** Starts a sentinel watching {@code host:port} as mymaster with the given quorum and down-after. */
    Sentinel startSentinel(int primaryPort, int quorum, long downAfterMillis, String... extraLines) {
        try {
            Path dir = Files.createTempDirectory("sentinel");
            Path file = dir.resolve("sentinel.conf");
            List<String> lines = new ArrayList<>(List.of(
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + primaryPort + " " + quorum,
                    "sentinel down-after-milliseconds " + MASTER + " " + downAfterMillis));
            lines.addAll(List.of(extraLines));
            Files.write(file, lines);
            return startSentinel(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts (or restarts) a sentinel from an existing sentinel.conf. */
    Sentinel startSentinel(Path file) {
        try {
            Sentinel s = Sentinel.open(file, false, c -> {
                try {
                    c.load("port", "0");
                    c.load("bind", "127.0.0.1");
                } catch (ConfigException e) {
                    throw new IllegalStateException(e);
                }
            });
            int index = sentinels.size();
            s.addListener(e -> events.add(new Recorded(index, e)));
            s.start();
            sentinels.add(s);
            sentinelFiles.add(file);
            return s;
        } catch (ConfigException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static final int SLOW_MACHINE_FACTOR = 4;

    /** Waits until every running sentinel knows {@code replicas} replicas and all the other sentinels. */
    void awaitDiscovery(int replicas, Duration timeout) {
        await("every sentinel to know " + replicas + " live replicas and its peers", timeout, () -> {
            for (Sentinel s : sentinels) {
                if (!s.node().running()) {
                    continue;
                }
                MasterView m = s.master(MASTER).join();
                long running = sentinels.stream().filter(x -> x.node().running()).count();
                if (m == null || m.replicas().size() < replicas || m.sentinels().size() < running - 1) {
                    return false;
                }
                // each replica connected and its INFO read: only then is it a candidate for promotion
                if (m.replicas().stream().anyMatch(r -> r.flags().contains("disconnected") || !"ok".equals(r.masterLinkStatus()))) {
                    return false;
                }
            }
            return true;
        });
    }

    List<SentinelEvent> events(String type) {
        return events.stream().map(Recorded::event).filter(e -> e.type().equals(type)).toList();
    }

    static boolean isReplica(TestNode n) {
        return n.node().call(() -> n.node().parts().replication().isReplica()).join();
    }

    /** The replica's INFO replication fields (master_host, master_port, master_link_status ...). */
    static Map<String, String> replicationInfo(TestNode n) {
        String info = n.node().call(() -> n.node().parts().info().render("replication")).join();
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    /**
     * Waits for {@code condition}, failing after {@code timeout} scaled by {@link #SLOW_MACHINE_FACTOR}:
     * the timeouts say how long a healthy run needs; a machine busy with other builds may need more,
     * and waiting longer for a condition that is going to hold proves the same thing.
     */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos() * SLOW_MACHINE_FACTOR;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fail("timed out after " + timeout.toSeconds() * SLOW_MACHINE_FACTOR + " s waiting for " + what);
    }

    @Override
    public void close() {
        for (Sentinel s : sentinels) {
            if (s.node().running()) {
                s.stop();
            }
        }
        for (TestNode n : nodes) {
            if (n.node().running()) {
                n.close();
            }
        }
    }
}
