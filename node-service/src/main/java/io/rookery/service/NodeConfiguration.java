package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.web.AdminTokenFilter;
import io.rookery.web.OneRequestPerConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Exposes the running node to the REST and metrics beans, and guards mutating calls with the admin token. */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    @Bean
    RookeryNode rookeryNode(NodeLifecycle lifecycle) {
        return lifecycle.node();
    }

    @Bean
    AdminTokenFilter adminTokenFilter(NodeProperties properties) {
        return new AdminTokenFilter(properties.adminToken());
    }

    @Bean
    OneRequestPerConnection oneRequestPerConnection() {
        return new OneRequestPerConnection();
    }
}
