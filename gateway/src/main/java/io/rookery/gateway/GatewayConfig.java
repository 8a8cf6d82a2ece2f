package io.rookery.gateway;

import java.util.List;

/**
 * What a gateway needs to run. Exactly one backend kind is set: {@code seeds} (a cluster) or
 * {@code sentinels} with {@code masterName} (a sentinel-managed primary).
 *
 * @param bind                   listen address for RESP
 * @param port                   RESP port (0 picks a free one)
 * @param seeds                  cluster nodes to learn the slot map from ("host:port")
 * @param sentinels              sentinels to ask for the primary ("host:port")
 * @param masterName             the primary's name at the sentinels
 * @param backendUser            ACL user for the backends (null: the default user)
 * @param backendPassword        password for the backends (null: none)
 * @param requirepass            the gateway's own password for its clients (null or empty: none)
 * @param requestTimeoutMillis   a backend that has not answered a request for this long is dropped and
 *                               every request waiting on it answered with an error
 * @param connectTimeoutMillis   connect timeout towards backends
 * @param refreshPeriodMillis    slot map refresh period while all is well
 * @param degradedRefreshMillis  refresh period while a slot's primary is unreachable or a slot unserved
 * @param ioThreads              event loops (0: {@link #defaultIoThreads()}, one per two cores)
 * @param maxClients             client connections accepted at most (Redis's maxclients)
 * @param maxPinned              dedicated backend connections at most (blocking commands, WATCH, pub/sub)
 * @param maxRedirects           MOVED/ASK/TRYAGAIN followed per request before the error reaches the client
 * @param readFromReplicas       send read-only commands to a replica of the slot's primary (READONLY
 *                               connections, round robin), the primary when it has none: reads may lag
 * @param normalOutputLimit      Redis's client-output-buffer-limit for normal clients (default none)
 * @param pubsubOutputLimit      Redis's client-output-buffer-limit for pub/sub clients (default 32mb 8mb 60)
 */
public record GatewayConfig(String bind, int port, List<String> seeds, List<String> sentinels, String masterName,
                            String backendUser, String backendPassword, String requirepass, long requestTimeoutMillis,
                            int connectTimeoutMillis, long refreshPeriodMillis, long degradedRefreshMillis,
                            int ioThreads, int maxClients, int maxPinned, int maxRedirects, boolean readFromReplicas,
                            OutputBufferLimit normalOutputLimit, OutputBufferLimit pubsubOutputLimit) {

    public GatewayConfig {
        normalOutputLimit = normalOutputLimit == null ? OutputBufferLimit.NORMAL_DEFAULT : normalOutputLimit;
        pubsubOutputLimit = pubsubOutputLimit == null ? OutputBufferLimit.PUBSUB_DEFAULT : pubsubOutputLimit;
        if (maxClients < 1) {
            throw new IllegalArgumentException("max-clients must be at least 1");
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
        sentinels = sentinels == null ? List.of() : List.copyOf(sentinels);
        if (seeds.isEmpty() == sentinels.isEmpty()) {
            throw new IllegalArgumentException("a gateway needs either cluster seeds or sentinels (with a master name), not both");
        }
        if (!sentinels.isEmpty() && (masterName == null || masterName.isBlank())) {
            throw new IllegalArgumentException("a sentinel backend needs the master name");
        }
    }

    /** A cluster gateway on {@code port} with the defaults. */
    public static GatewayConfig cluster(int port, List<String> seeds) {
        return new GatewayConfig("127.0.0.1", port, seeds, null, null, null, null, null, 5000, 2000, 5000, 250, 0,
                10000, 1024, 5, false, null, null);
    }

    /** A sentinel gateway on {@code port} with the defaults. */
    public static GatewayConfig sentinel(int port, List<String> sentinels, String masterName) {
        return new GatewayConfig("127.0.0.1", port, null, sentinels, masterName, null, null, null, 5000, 2000, 5000, 250,
                0, 10000, 1024, 5, false, null, null);
    }

    public GatewayConfig withRequirepass(String password) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, password,
                requestTimeoutMillis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, ioThreads,
                maxClients, maxPinned, maxRedirects, readFromReplicas, normalOutputLimit, pubsubOutputLimit);
    }

    public GatewayConfig withRequestTimeoutMillis(long millis) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, requirepass,
                millis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, ioThreads, maxClients,
                maxPinned, maxRedirects, readFromReplicas, normalOutputLimit, pubsubOutputLimit);
    }

    public GatewayConfig withReadFromReplicas(boolean yes) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, requirepass,
                requestTimeoutMillis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, ioThreads,
                maxClients, maxPinned, maxRedirects, yes, normalOutputLimit, pubsubOutputLimit);
    }

    public GatewayConfig withMaxClients(int max) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, requirepass,
                requestTimeoutMillis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, ioThreads, max,
                maxPinned, maxRedirects, readFromReplicas, normalOutputLimit, pubsubOutputLimit);
    }

    public GatewayConfig withOutputLimits(OutputBufferLimit normal, OutputBufferLimit pubsub) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, requirepass,
                requestTimeoutMillis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, ioThreads,
                maxClients, maxPinned, maxRedirects, readFromReplicas, normal, pubsub);
    }

    public GatewayConfig withIoThreads(int threads) {
        return new GatewayConfig(bind, port, seeds, sentinels, masterName, backendUser, backendPassword, requirepass,
                requestTimeoutMillis, connectTimeoutMillis, refreshPeriodMillis, degradedRefreshMillis, threads,
                maxClients, maxPinned, maxRedirects, readFromReplicas, normalOutputLimit, pubsubOutputLimit);
    }

    /**
     * Event loops when none are configured: one per two cores, at least one. A loop's turn writes the requests
     * of all its clients to a backend in one write and reads the replies in one read, so fewer loops make
     * larger batches and fewer wake-ups; the gateway usually shares its cores with its clients and backends.
     * Measured on two cores (bench/gateway.sh, 5 rounds, quiet machine), one loop against two: -P 16
     * 0.88-0.94 of direct instead of 0.84-0.86, -P 1 0.93-0.94 of Twemproxy instead of 0.81-0.93, and
     * 21 instead of 25 us of CPU per request at -P 1.
     */
    public static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public boolean clustered() {
        return !seeds.isEmpty();
    }

    /** "host:port" split into its parts. */
    public static String[] hostPort(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + address);
        }
        return new String[]{address.substring(0, colon), address.substring(colon + 1)};
    }
}
