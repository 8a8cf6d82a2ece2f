package io.rookery.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/** Any service with service-web on its class path gets the edge without declaring any of it. */
class ServiceWebAutoConfigurationTest {
    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ServiceWebAutoConfiguration.class));

    @Test
    void isRegisteredAsAnAutoConfiguration() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
                .contains(ServiceWebAutoConfiguration.class.getName());
    }

    @Test
    void declaresTheGuardTheBindingAndOneRequestPerConnection() {
        runner.withPropertyValues("rookery.web.admin-token=t", "rookery.web.admin-token-property=rookery.x.admin-token")
                .run(context -> {
                    assertThat(context).hasSingleBean(AdminTokenFilter.class).hasSingleBean(HttpBinding.class)
                            .hasSingleBean(OneRequestPerConnection.class);
                    assertThat(context.getBean(ServiceWebProperties.class))
                            .isEqualTo(new ServiceWebProperties("t", "rookery.x.admin-token"));
                });
    }

    @Test
    void theTokenPropertyNamedInRefusalsDefaultsToItsOwn() {
        runner.run(context -> assertThat(context.getBean(ServiceWebProperties.class).adminTokenProperty())
                .isEqualTo("rookery.web.admin-token"));
    }
}
