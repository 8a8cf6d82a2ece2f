package io.rookery.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.web.*}: the settings of the HTTP edge every service shares. A service maps its own,
 * documented property onto these in its {@code application.yml} (the node:
 * {@code rookery.web.admin-token: ${rookery.node.admin-token:}}), so users keep one name per service
 * and the edge keeps one implementation.
 *
 * @param adminToken         the bearer token mutating {@code /api/**} calls must carry; while it is
 *                           empty those calls are refused (403)
 * @param adminTokenProperty the property users set to configure the token, named in the 403 refusal
 *                           so it says how to enable the call (default {@code rookery.web.admin-token})
 */
@ConfigurationProperties(prefix = "rookery.web")
public record ServiceWebProperties(String adminToken, String adminTokenProperty) {

    public ServiceWebProperties {
        if (adminTokenProperty == null || adminTokenProperty.isBlank()) {
            adminTokenProperty = "rookery.web.admin-token";
        }
    }
}
