package io.rookery.service;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.node.*}: where the node listens and how it is configured. The common settings have
 * their own properties; any other Redis directive goes under {@code rookery.node.directives.<name>}
 * (for example {@code rookery.node.directives.maxmemory=1gb}). Precedence, lowest first: built-in
 * defaults, the redis.conf-style file, these properties, then CONFIG SET at run time.
 *
 * @param configFile   a redis.conf-style file to load first (Redis's directive names)
 * @param port         the RESP port (default 6379; 0 picks a free one)
 * @param bind         listen addresses, Redis syntax (default "* -::*")
 * @param requirepass  the default user's password (empty: none)
 * @param protectedMode refuse non-loopback clients while no password is set
 * @param directives   any other Redis configuration directive by name
 *
 * <p>{@code rookery.node.admin-token}, the bearer token state-changing REST calls need (refused
 * until it is set), is read by service-web's edge: {@code application.yml} maps it onto
 * {@code rookery.web.admin-token}.
 */
@ConfigurationProperties(prefix = "rookery.node")
public record NodeProperties(String configFile, Integer port, String bind, String requirepass, Boolean protectedMode,
                             Map<String, String> directives) {
}
