package io.rookery.admin.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The declared topology as docker-compose.yml gives it: environment variables, the nodes comma separated. */
class DeclaredTopologyPropertiesTest {

    private static DeclaredTopologyProperties bind(Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return Binder.get(environment).bindOrCreate("rookery.admin.topology", DeclaredTopologyProperties.class);
    }

    @Test
    void environmentVariablesDeclareTheCluster() {
        DeclaredTopologyProperties p = bind(Map.of("ROOKERY_ADMIN_TOPOLOGY_NODES", "10.0.0.1:6379, 10.0.0.2:6379,10.0.0.3:6379",
                "ROOKERY_ADMIN_TOPOLOGY_REPLICASPERPRIMARY", "1", "ROOKERY_ADMIN_TOPOLOGY_WAITTIMEOUT", "90s",
                "ROOKERY_ADMIN_TOPOLOGY_NAME", "prod"));
        assertThat(p.declared()).isTrue();
        assertThat(p.nodes()).containsExactly("10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379");
        assertThat(p.replicasPerPrimary()).isEqualTo(1);
        assertThat(p.waitTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.name()).isEqualTo("prod");
    }

    @Test
    void nothingDeclaredByDefault() {
        DeclaredTopologyProperties p = bind(Map.of());
        assertThat(p.declared()).isFalse();
        assertThat(p.nodes()).isEqualTo(List.of());
        assertThat(p.name()).isEqualTo("rookery");
        assertThat(p.replicasPerPrimary()).isZero();
        assertThat(p.waitTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.retryInterval()).isEqualTo(Duration.ofSeconds(2));
    }
}
