package io.rookery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the shipped dashboards and rules are read: variables, macros, label_values, metric names. */
class ShippedQueriesTest {
    @Test
    void grafanaVariablesBecomeAllAndIntervalMacrosOneMinute() {
        assertThat(ShippedQueries.resolve("rate(x{instance=~\"$instance\",m=~\"${master}\"}[$__rate_interval])"))
                .isEqualTo("rate(x{instance=~\".*\",m=~\".*\"}[1m])");
    }

    @Test
    void metricNamesAreFoundOutsideLabelValuesAndFunctions() {
        assertThat(ShippedQueries.metrics("rookery_memory_used_bytes / (rookery_memory_max_bytes > 0) and on (instance)"
                + " up{job=~\"rookery_not_a_metric\"} == 0")).containsExactly("rookery_memory_max_bytes",
                "rookery_memory_used_bytes", "up");
    }

    @Test
    void everyDashboardHasPanelsAndEveryRuleAnExpression() throws Exception {
        Path deploy = ServiceJar.repository().resolve("deploy");
        assertThat(ShippedQueries.panels(deploy.resolve("grafana/dashboards"))).hasSizeGreaterThan(15)
                // every Grafana variable resolved; $1 in label_replace is PromQL's regex group (Grafana leaves it alone)
                .allSatisfy(q -> assertThat(q.expr()).doesNotContainPattern("\\$(?![0-9])"));
        assertThat(ShippedQueries.variables(deploy.resolve("grafana/dashboards")))
                .anySatisfy(q -> assertThat(q.expr()).isEqualTo("up{job=~\"rookery-(cluster|ha)-node\"}"));
        assertThat(ShippedQueries.rules(deploy.resolve("prometheus/alerts.yml")))
                .anySatisfy(q -> assertThat(q.expr()).isEqualTo("rookery_cluster_state == 0"));
    }
}
