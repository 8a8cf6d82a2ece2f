package io.rookery.sentinel.service;

import io.rookery.sentinel.Sentinel;
import io.rookery.web.AdminTokenFilter;
import io.rookery.web.OneRequestPerConnection;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The running sentinel for the REST and metrics beans; the admin-token guard; the OpenAPI title. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Rookery sentinel API", version = "v1",
        description = "Monitored primaries, their replicas and sentinels, failovers and the sentinel event stream"))
class SentinelConfiguration {

    @Bean
    Sentinel sentinel(SentinelLifecycle lifecycle) {
        return lifecycle.sentinel();
    }

    @Bean
    AdminTokenFilter adminTokenFilter(SentinelProperties properties) {
        return new AdminTokenFilter(properties.adminToken());
    }

    @Bean
    OneRequestPerConnection oneRequestPerConnection() {
        return new OneRequestPerConnection();
    }
}
