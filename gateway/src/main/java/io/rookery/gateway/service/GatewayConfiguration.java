package io.rookery.gateway.service;

import io.rookery.gateway.Gateway;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The running gateway for the REST, health and metrics beans, and the OpenAPI title. The admin token
 * guard and HTTP binding come from service-web's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Rookery gateway API", version = "v1",
        description = "The gateway's backend, slot map, clients, and a slot map refresh"))
class GatewayConfiguration {

    @Bean
    Gateway gateway(GatewayLifecycle lifecycle) {
        return lifecycle.gateway();
    }
}
