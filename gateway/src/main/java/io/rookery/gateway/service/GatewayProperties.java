package io.rookery.gateway.service;

import io.rookery.gateway.GatewayConfig;
import io.rookery.gateway.OutputBufferLimit;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rookery.gateway.*}: where the gateway listens and what it fronts. Set either {@code seeds} (a
 * cluster) or {@code sentinels} with {@code master-name} (a sentinel-managed primary).
 *
 * @param port                   RESP port (default 6379; 0 picks a free one)
 * @param bind                   RESP listen address (default 127.0.0.1; the HTTP side binds there too)
 * @param seeds                  cluster nodes, "host:port", to learn the slot map from
 * @param sentinels              sentinels, "host:port"
 * @param masterName             the primary's name at the sentinels
 * @param backendUser            ACL user for the backends
 * @param backendPassword        password for the backends (masked in every view)
 * @param requirepass            the password clients give the gateway (AUTH/HELLO)
 * @param requestTimeout         a backend silent this long on a request is dropped; its requests get an error (5s)
 * @param connectTimeout         connect timeout towards backends (2s)
 * @param refreshPeriod          slot map refresh period (5s)
 * @param degradedRefreshPeriod  refresh period while a primary is unreachable or a slot unserved (250ms)
 * @param ioThreads              event loops (0: one per two cores, at least one)
 * @param maxClients             client connections at most (10000)
 * @param maxPinned              dedicated backend connections at most (1024)
 * @param maxRedirects           MOVED/ASK followed per request (5)
 * @param readFromReplicas       read-only commands to replicas (READONLY), default false
 * @param clientOutputBufferLimitNormal  Redis's client-output-buffer-limit for normal clients, "hard soft
 *                               seconds" with memory units (default "0 0 0": none)
 * @param clientOutputBufferLimitPubsub  the same for pub/sub clients (default "32mb 8mb 60")
 *
 * <p>{@code rookery.gateway.admin-token}, the bearer token {@code POST /api/v1/gateway/refresh} needs,
 * is read by service-web's edge ({@code application.yml} maps it onto {@code rookery.web.admin-token}).
 */
@ConfigurationProperties(prefix = "rookery.gateway")
public record GatewayProperties(Integer port, String bind, List<String> seeds, List<String> sentinels, String masterName,
                                String backendUser, String backendPassword, String requirepass, Duration requestTimeout,
                                Duration connectTimeout, Duration refreshPeriod, Duration degradedRefreshPeriod,
                                Integer ioThreads, Integer maxClients, Integer maxPinned, Integer maxRedirects,
                                Boolean readFromReplicas, String clientOutputBufferLimitNormal,
                                String clientOutputBufferLimitPubsub) {

    GatewayConfig toConfig() {
        return new GatewayConfig(bind == null ? "127.0.0.1" : bind, port == null ? 6379 : port, seeds, sentinels,
                masterName, backendUser, backendPassword, requirepass, millis(requestTimeout, 5000),
                (int) millis(connectTimeout, 2000), millis(refreshPeriod, 5000), millis(degradedRefreshPeriod, 250),
                ioThreads == null ? 0 : ioThreads, maxClients == null ? 10000 : maxClients,
                maxPinned == null ? 1024 : maxPinned, maxRedirects == null ? 5 : maxRedirects,
                Boolean.TRUE.equals(readFromReplicas),
                clientOutputBufferLimitNormal == null ? null : OutputBufferLimit.parse(clientOutputBufferLimitNormal),
                clientOutputBufferLimitPubsub == null ? null : OutputBufferLimit.parse(clientOutputBufferLimitPubsub));
    }

    private static long millis(Duration d, long otherwise) {
        return d == null ? otherwise : d.toMillis();
    }
}
