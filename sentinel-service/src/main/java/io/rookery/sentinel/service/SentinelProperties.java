package io.rookery.sentinel.service;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.sentinel.*}: where the sentinel listens, what it watches and where it keeps its state.
 * Precedence, lowest first: built-in defaults, the sentinel.conf file, these properties. Primaries
 * listed here are added only when the file does not already monitor that name (after a failover the
 * file holds the current primary, which must win over the address first configured).
 *
 * @param configFile        the sentinel.conf to read and keep state in; "sentinel.conf" in the working
 *                          directory (created if missing) when not set; a given file must exist
 * @param port              the RESP port (default 26379; 0 picks a free one)
 * @param bind              listen addresses, Redis syntax
 * @param requirepass       the password clients (and, unless sentinel-pass is set, other sentinels) use
 * @param announceIp        the address announced in hellos (containers, NAT)
 * @param announcePort      the port announced in hellos
 * @param resolveHostnames  accept hostnames, not only IP addresses
 * @param announceHostnames announce hostnames rather than addresses
 * @param masters           primaries to monitor
 * @param directives        any other server directive by Redis name
 *
 * <p>{@code rookery.sentinel.admin-token}, the bearer token state-changing REST calls need (refused
 * until it is set), is read by service-web's edge: {@code application.yml} maps it onto
 * {@code rookery.web.admin-token}.
 */
@ConfigurationProperties(prefix = "rookery.sentinel")
public record SentinelProperties(String configFile, Integer port, String bind, String requirepass, String announceIp,
                                 Integer announcePort, Boolean resolveHostnames, Boolean announceHostnames,
                                 List<MonitoredMaster> masters, Map<String, String> directives) {

    /**
     * One primary to watch ({@code rookery.sentinel.masters[0].name=mymaster}, ...).
     *
     * @param name                  the name clients ask for
     * @param host                  its address
     * @param port                  its port
     * @param quorum                sentinels that must agree it is down
     * @param downAfterMilliseconds down-after-milliseconds (default 30000)
     * @param failoverTimeout       failover-timeout (default 180000)
     * @param parallelSyncs         parallel-syncs (default 1)
     * @param authPass              the password for it and its replicas
     * @param authUser              the ACL user for it and its replicas
     */
    public record MonitoredMaster(String name, String host, Integer port, Integer quorum, Long downAfterMilliseconds,
                                  Long failoverTimeout, Integer parallelSyncs, String authPass, String authUser) {
    }
}
