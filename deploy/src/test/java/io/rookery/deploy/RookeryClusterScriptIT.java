package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/rookery-cluster}'s arguments and its {@code status} when nothing runs (the healthy case is
 * in {@link DashboardQueriesIT}, against a running topology). {@code up}/{@code down} need a Docker engine
 * and are exercised by tools/compose/e2e.sh.
 */
class RookeryClusterScriptIT {
    private record Run(int exit, String output) {
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile("rookery-cluster", ".out");
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(
                ServiceJar.repository().resolve("bin/rookery-cluster").toString())));
        pb.command().addAll(List.of(args));
        pb.environment().putAll(env);
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    @Test
    void withoutACommandOrWithAnUnknownOneItPrintsUsageAndExits2() throws Exception {
        for (String[] args : new String[][] {{}, {"start"}, {"status", "extra"}, {"down", "-x"}, {"down", "-v", "more"}}) {
            Run r = run(Map.of(), args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.output()).contains("usage: bin/rookery-cluster up [SERVICE...] | status | down [-v]");
        }
        Run help = run(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).startsWith("usage: ");
    }

    @Test
    void statusSaysWhatIsNotReachableAndExits1() throws Exception {
        int admin = ServiceJar.freePort();
        int node = ServiceJar.freePort();
        int gateway = ServiceJar.freePort();
        Run r = run(Map.of("ROOKERY_ADMIN_URL", "http://127.0.0.1:" + admin, "ROOKERY_CLUSTER_NODE", "127.0.0.1:" + node,
                "ROOKERY_GATEWAY", "127.0.0.1:" + gateway), "status");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("admin    http://127.0.0.1:" + admin + " cluster rookery: not reachable",
                "node     127.0.0.1:" + node + ": not reachable", "gateway  127.0.0.1:" + gateway + ": not reachable");
    }
}
