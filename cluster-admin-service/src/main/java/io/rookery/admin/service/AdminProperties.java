package io.rookery.admin.service;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.admin.*}: how the admin service reaches clusters and shares them with other instances.
 *
 * @param dataDir    where the embedded database lives (default {@code ./admin-data}); unused when
 *                   {@code spring.datasource.url} names another database (PostgreSQL)
 * @param instanceId this instance's name in the per-cluster leases (default host name + process id)
 * @param leaseTtl   how long a lease lasts unless renewed (default 15 s; renewed every third of it)
 * @param nodeTimeout connect and reply timeout towards nodes (default 5 s)
 * @param refreshInterval how often managed clusters are read for metrics and health (default 10 s)
 *
 * <p>{@code rookery.admin.admin-token}, the bearer token mutating REST calls need, is read by
 * service-web's edge ({@code application.yml} maps it onto {@code rookery.web.admin-token}).
 */
@ConfigurationProperties(prefix = "rookery.admin")
public record AdminProperties(String dataDir, String instanceId, Duration leaseTtl, Duration nodeTimeout,
                              Duration refreshInterval) {
    public AdminProperties {
        dataDir = dataDir == null || dataDir.isBlank() ? "./admin-data" : dataDir;
        if (instanceId == null || instanceId.isBlank()) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "localhost";
            }
            instanceId = host + ":" + ProcessHandle.current().pid();
        }
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(15) : leaseTtl;
        nodeTimeout = nodeTimeout == null ? Duration.ofSeconds(5) : nodeTimeout;
        refreshInterval = refreshInterval == null ? Duration.ofSeconds(10) : refreshInterval;
    }
}
