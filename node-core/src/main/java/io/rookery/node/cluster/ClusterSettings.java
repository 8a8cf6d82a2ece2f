package io.rookery.node.cluster;

import io.rookery.node.config.NodeConfig;

/**
 * The cluster parameters of the node's config under their Redis names, read live (CONFIG SET of a
 * mutable one takes effect at the next use). The config keeps them as Redis-validated text; this view
 * gives them types.
 */
public final class ClusterSettings {
    private final NodeConfig config;

    public ClusterSettings(NodeConfig config) {
        this.config = config;
    }

    private String text(String name) {
        return config.parameter(name).get();
    }

    private long number(String name) {
        return Long.parseLong(text(name));
    }

    private boolean yes(String name) {
        return text(name).equals("yes");
    }

    public boolean enabled() {
        return yes("cluster-enabled");
    }

    public String configFile() {
        return text("cluster-config-file");
    }

    public long nodeTimeout() {
        return number("cluster-node-timeout");
    }

    /** The bus port: cluster-port, or the client port + 10000 when it is 0. */
    public int busPort() {
        long p = number("cluster-port");
        return p != 0 ? (int) p : config.port + 10000;
    }

    public String announceIp() {
        return text("cluster-announce-ip");
    }

    /** The client port other nodes are told: cluster-announce-port, or the real one. */
    public int announcedPort() {
        long p = number("cluster-announce-port");
        return p != 0 ? (int) p : config.port;
    }

    public int announcedBusPort() {
        long p = number("cluster-announce-bus-port");
        return p != 0 ? (int) p : busPort();
    }

    public String announceHostname() {
        return text("cluster-announce-hostname");
    }

    public String preferredEndpointType() {
        return text("cluster-preferred-endpoint-type");
    }

    public boolean requireFullCoverage() {
        return yes("cluster-require-full-coverage");
    }

    public boolean allowReadsWhenDown() {
        return yes("cluster-allow-reads-when-down");
    }

    public boolean allowPubsubshardWhenDown() {
        return yes("cluster-allow-pubsubshard-when-down");
    }

    public long replicaValidityFactor() {
        return number("cluster-replica-validity-factor");
    }

    public long migrationBarrier() {
        return number("cluster-migration-barrier");
    }

    public boolean allowReplicaMigration() {
        return yes("cluster-allow-replica-migration");
    }

    /** cluster-slot-stats-enabled (Valkey 8): per-slot cpu and network accounting for CLUSTER SLOT-STATS. */
    public boolean slotStatsEnabled() {
        return yes("cluster-slot-stats-enabled");
    }

    /** Tells {@code listener} the new cluster-slot-stats-enabled after each CONFIG SET of it. */
    public void onSlotStatsEnabledChange(java.util.function.Consumer<Boolean> listener) {
        config.onChange("cluster-slot-stats-enabled", c -> listener.accept(slotStatsEnabled()));
    }

    /** cluster-link-sendbuf-limit in bytes: a link whose send buffer holds more is dropped; 0 means no limit. */
    public long linkSendBufferLimit() {
        return number("cluster-link-sendbuf-limit");
    }

    public boolean replicaNoFailover() {
        return yes("cluster-replica-no-failover");
    }
}
