package io.rookery.admin.service;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.admin.topology.*}: a cluster the admin service creates on its first start and checks on every
 * later one ({@link DeclaredTopologyBootstrap}). Nothing is declared unless {@code nodes} is set.
 *
 * @param name               the name the cluster is managed under (default {@code rookery})
 * @param nodes              the nodes, {@code host:port} each (in a property or environment variable: comma
 *                           separated, e.g. {@code ROOKERY_ADMIN_TOPOLOGY_NODES=10.0.0.1:6379,10.0.0.2:6379,...})
 * @param replicasPerPrimary replicas per primary (default 0): {@code nodes / (replicas + 1)} primaries, at least 3
 * @param user               ACL user towards the nodes (optional)
 * @param password           password towards the nodes (optional; never shown)
 * @param waitTimeout        how long the service waits for the declared nodes to answer and the cluster to be
 *                           healthy before it reports failure (default 5 min)
 * @param retryInterval      how often it reads the nodes again while it waits (default 2 s)
 */
@ConfigurationProperties(prefix = "rookery.admin.topology")
record DeclaredTopologyProperties(String name, List<String> nodes, Integer replicasPerPrimary, String user,
                                  String password, Duration waitTimeout, Duration retryInterval) {
    DeclaredTopologyProperties {
        name = name == null || name.isBlank() ? "rookery" : name;
        nodes = nodes == null ? List.of() : nodes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        replicasPerPrimary = replicasPerPrimary == null ? 0 : replicasPerPrimary;
        waitTimeout = waitTimeout == null ? Duration.ofMinutes(5) : waitTimeout;
        retryInterval = retryInterval == null ? Duration.ofSeconds(2) : retryInterval;
    }

    boolean declared() {
        return !nodes.isEmpty();
    }
}
