package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.deploy.ClusterScript.Run;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/rookery-cluster}'s arguments, its {@code status} when nothing runs and {@code up}'s refusals
 * (the local lifecycle is {@link RookeryClusterLocalIT}; the healthy status against a hand-started topology is
 * in {@link DashboardQueriesIT}; {@code --compose up}/{@code down} need a Docker engine and are exercised by
 * tools/compose/e2e.sh).
 */
class RookeryClusterScriptIT {
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String USAGE = "usage: bin/rookery-cluster up | status | down [-v]   (local processes)\n"
            + "       bin/rookery-cluster --compose up [SERVICE...] | status | down [-v]";

    @Test
    void withoutACommandOrWithAnUnknownOneItPrintsUsageAndExits2() throws Exception {
        for (String[] args : new String[][] {{}, {"start"}, {"status", "extra"}, {"down", "-x"}, {"down", "-v", "more"},
                {"up", "node-1"}, {"--compose"}, {"--compose", "start"}, {"--compose", "down", "-x"}}) {
            Run r = ClusterScript.run(Map.of(), BOUND, args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.output()).contains(USAGE);
        }
        Run help = ClusterScript.run(Map.of(), BOUND, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).startsWith("usage: ");
    }

    @Test
    void statusSaysWhatIsNotReachableAndExits1() throws Exception {
        int admin = ServiceJar.freePort();
        int node = ServiceJar.freePort();
        int gateway = ServiceJar.freePort();
        Path state = Files.createTempDirectory("rookery-cluster-state");
        Run r = ClusterScript.run(Map.of("ROOKERY_CLUSTER_DIR", state.toString(), "ROOKERY_ADMIN_URL",
                "http://127.0.0.1:" + admin, "ROOKERY_CLUSTER_NODE", "127.0.0.1:" + node,
                "ROOKERY_GATEWAY", "127.0.0.1:" + gateway), BOUND, "status");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("admin    http://127.0.0.1:" + admin + " cluster rookery: not reachable",
                "node     127.0.0.1:" + node + ": not reachable", "gateway  127.0.0.1:" + gateway + ": not reachable");
    }

    @Test
    void upRefusesAPortAlreadyInUseBeforeStartingAnything() throws Exception {
        Path state = Files.createTempDirectory("rookery-cluster-state");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Map<String, String> env = ports(state);
            env.put("ROOKERY_GATEWAY_PORT", Integer.toString(taken.getLocalPort()));
            Run r = ClusterScript.run(env, BOUND, "up");
            assertThat(r.exit()).as(r.output()).isEqualTo(1);
            assertThat(r.output()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
            try (var files = Files.list(state)) {
                assertThat(files.filter(f -> f.toString().endsWith(".pid"))).as("no process started").isEmpty();
            }
        }
    }

    @Test
    void upFailsWithTheLogTailWhenAProcessCannotStartAndStopsTheOthers() throws Exception {
        Path state = Files.createTempDirectory("rookery-cluster-state");
        Map<String, String> env = ports(state);
        env.put("JAVA_OPTS", "-XX:+NoSuchOptionForThisTest");
        Run r = ClusterScript.run(env, BOUND, "up");
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("exited during start-up", "Unrecognized VM option 'NoSuchOptionForThisTest'",
                "stopped the processes it had started; their logs are in " + state);
        try (var files = Files.list(state)) {
            assertThat(files.filter(f -> f.toString().endsWith(".pid"))).as("every process stopped").isEmpty();
        }
    }

    /** Free ports for everything {@code up} starts, the data dir {@code state}. */
    static Map<String, String> ports(Path state) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("ROOKERY_CLUSTER_DIR", state.toString());
        env.put("ROOKERY_CLUSTER_PORT", Integer.toString(FreePorts.runWithBus(6)));
        env.put("ROOKERY_CLUSTER_HTTP_PORT", Integer.toString(FreePorts.run(6)));
        env.put("ROOKERY_ADMIN_PORT", Integer.toString(ServiceJar.freePort()));
        env.put("ROOKERY_GATEWAY_PORT", Integer.toString(ServiceJar.freePort()));
        env.put("ROOKERY_GATEWAY_HTTP_PORT", Integer.toString(ServiceJar.freePort()));
        return env;
    }
}
