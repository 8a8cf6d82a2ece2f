package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Exposes the running node to the REST and metrics beans. The admin token guard, HTTP binding and
 * the rest of the HTTP edge come from service-web's auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    /** The node, when the launcher has not started one before the context (it registers that one). */
    @Bean
    @ConditionalOnMissingBean(NodeLifecycle.class)
    NodeLifecycle nodeLifecycle(NodeProperties properties) throws ConfigException {
        return new NodeLifecycle(properties);
    }

    @Bean
    RookeryNode rookeryNode(NodeLifecycle lifecycle) {
        return lifecycle.node();
    }
}
