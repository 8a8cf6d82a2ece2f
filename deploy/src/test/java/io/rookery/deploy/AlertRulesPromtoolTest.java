package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files, checked with Prometheus's own {@code promtool} (Debian's package; see
 * {@link PrometheusServer#binary(String, String)}): the alert rules and the configuration compose mounts are
 * valid, and the rules' unit tests ({@code deploy/prometheus/alerts_test.yml}) pass, so each alert fires on the
 * series that should raise it, with its labels and annotations, only after its {@code for}, and stays quiet on
 * healthy series. That the metrics they read exist is DashboardQueriesIT's part.
 */
class AlertRulesPromtoolTest {
    private static final Path PROMETHEUS_DIR = ServiceJar.repository().resolve("deploy/prometheus");

    @Test
    void theAlertRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 8 rules found");
    }

    @Test
    void theConfigurationComposeMountsIsValid() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("is valid prometheus config file");
    }

    @Test
    void eachAlertFiresWhenItShouldAndOnlyThen() throws Exception {
        assertThat(promtool("test", "rules", "alerts_test.yml")).contains("SUCCESS");
    }

    /** Runs promtool in deploy/prometheus; returns its output, failing the test with it when promtool fails. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PrometheusServer.binary("promtool", "ROOKERY_PROMTOOL").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("promtool", ".out");
        Process p = new ProcessBuilder(command).directory(PROMETHEUS_DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(new File("/dev/null")).start();
        boolean ended = p.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        Files.deleteIfExists(out);
        assertThat(ended).as("promtool %s ends", String.join(" ", args)).isTrue();
        assertThat(p.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }
}
