package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.deploy.ClusterScript.Run;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/rookery-cluster up|status|down} as local processes, as a user without Docker runs it: {@code up}
 * starts the six cluster nodes, the admin service (which creates the cluster) and the gateway on free loopback
 * ports with a temporary data dir; {@code status} reports the cluster healthy; redis-cli writes and reads keys
 * through the gateway and finds them in the cluster; {@code down} leaves no process and no open port, and
 * {@code down -v} removes the data dir. Needs the service jars ({@code mvn verify} builds them first) and
 * redis-cli.
 */
@Tag("cluster")
class RookeryClusterLocalIT {
    /** Seven JVMs start at once: minutes on a loaded machine. */
    private static final Duration UP_BOUND = Duration.ofMinutes(15);
    private static final Duration BOUND = Duration.ofMinutes(2);

    @Test
    void upStartsTheClusterBehindTheGatewayStatusSaysOkAndDownLeavesNothing() throws Exception {
        Path state = Files.createTempDirectory("rookery-cluster-local-it");
        Map<String, String> env = RookeryClusterScriptIT.ports(state);
        // small, quick-starting JVMs: the test wants the topology, not its throughput
        env.put("JAVA_OPTS", "-XX:+UseSerialGC -Xms16m -Xmx192m -XX:TieredStopAtLevel=1");
        env.put("ROOKERY_CLUSTER_TIMEOUT", "600");
        int nodePort = Integer.parseInt(env.get("ROOKERY_CLUSTER_PORT"));
        int nodeHttp = Integer.parseInt(env.get("ROOKERY_CLUSTER_HTTP_PORT"));
        int gateway = Integer.parseInt(env.get("ROOKERY_GATEWAY_PORT"));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ports.addAll(List.of(nodePort + i, nodePort + i + 10000, nodeHttp + i));
        }
        ports.addAll(List.of(Integer.parseInt(env.get("ROOKERY_ADMIN_PORT")), gateway,
                Integer.parseInt(env.get("ROOKERY_GATEWAY_HTTP_PORT"))));
        List<Long> pids = new ArrayList<>();
        try {
            Run up = ClusterScript.run(env, UP_BOUND, "up");
            assertThat(up.exit()).as(up.output()).isZero();
            assertThat(up.output()).contains("up: cluster rookery (3 primaries, 3 replicas) on 127.0.0.1:" + nodePort,
                    "gateway 127.0.0.1:" + gateway, "(generated; read it from " + state.resolve("admin-token") + ")");
            String token = Files.readString(state.resolve("admin-token"));
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(up.output()).as("the token is printed masked").doesNotContain(token)
                    .contains("admin token: " + token.substring(0, 4) + "****");
            pids.addAll(pids(state));
            assertThat(pids).hasSize(8);

            Run status = ClusterScript.run(env, BOUND, "status");
            assertThat(status.exit()).as(status.output()).isZero();
            assertThat(status.output()).contains("cluster rookery: OK", "node     127.0.0.1:" + nodePort + " cluster_state:ok",
                    "cluster_slots_assigned:16384", "cluster_known_nodes:6", "cluster_size:3",
                    "gateway  127.0.0.1:" + gateway + ": PONG", "process  gateway pid", "process  admin pid");
            assertThat(status.output().lines().filter(l -> l.contains(" master ") || l.contains(",master "))).hasSize(3);
            assertThat(status.output().lines().filter(l -> l.contains("slave"))).hasSize(3);

            for (int i = 0; i < 10; i++) {
                assertThat(redisCli("-p", Integer.toString(gateway), "SET", "user:" + i, "value-" + i)).isEqualTo("OK");
            }
            for (int i = 0; i < 10; i++) {
                assertThat(redisCli("-p", Integer.toString(gateway), "GET", "user:" + i)).isEqualTo("value-" + i);
                // in the cluster itself, asked of any node with redirects followed
                assertThat(redisCli("-c", "-p", Integer.toString(nodePort + i % 6), "GET", "user:" + i)).isEqualTo("value-" + i);
            }

            Run down = ClusterScript.run(env, BOUND, "down");
            assertThat(down.exit()).as(down.output()).isZero();
            assertThat(down.output()).contains("down (data and logs kept in " + state + ")");
            assertThat(pids).as("no process left").noneMatch(RookeryClusterLocalIT::alive);
            assertThat(ports).as("no port left open").noneMatch(RookeryClusterLocalIT::open);
            assertThat(state.resolve("node-" + nodePort).resolve("nodes.conf")).exists();

            Run downV = ClusterScript.run(env, BOUND, "down", "-v");
            assertThat(downV.exit()).as(downV.output()).isZero();
            assertThat(state).doesNotExist();
        } finally {
            if (Files.isDirectory(state)) {
                pids.addAll(pids(state));
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                try (Stream<Path> files = Files.walk(state)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static List<Long> pids(Path state) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(state)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(f).trim()));
            }
        }
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean open(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** redis-cli's reply, trimmed; fails with advice when redis-cli is missing. */
    private static String redisCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            throw new AssertionError("redis-cli is required (Debian's redis-tools package): " + missing.getMessage());
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("redis-cli ends").isTrue();
        return out;
    }
}
