package io.rookery.service;

import io.rookery.node.RookeryNode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Exposes the running node to the REST and metrics beans. The admin token guard, HTTP binding and
 * the rest of the HTTP edge come from service-web's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    RookeryNode rookeryNode(NodeLifecycle lifecycle) {
        return lifecycle.node();
    }
}
