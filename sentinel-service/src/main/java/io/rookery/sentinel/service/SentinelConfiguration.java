package io.rookery.sentinel.service;

import io.rookery.node.config.ConfigException;
import io.rookery.sentinel.Sentinel;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The running sentinel for the REST and metrics beans, and the OpenAPI title. The admin token guard,
 * HTTP binding and the rest of the HTTP edge come from service-web's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Rookery sentinel API", version = "v1",
        description = "Monitored primaries, their replicas and sentinels, failovers and the sentinel event stream"))
class SentinelConfiguration {

    /** The sentinel, when the launcher has not started one before the context (it registers that one). */
    @Bean
    @ConditionalOnMissingBean(SentinelLifecycle.class)
    SentinelLifecycle sentinelLifecycle(SentinelProperties properties) throws ConfigException {
        return new SentinelLifecycle(properties);
    }

    @Bean
    Sentinel sentinel(SentinelLifecycle lifecycle) {
        return lifecycle.sentinel();
    }
}
