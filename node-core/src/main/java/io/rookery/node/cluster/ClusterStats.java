package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusMessageType;

/**
 * Bus messages sent and received by type, for CLUSTER INFO's {@code cluster_stats_messages_*} lines,
 * and the redirects the gate replied by kind, for the metrics endpoint. Written on the command thread;
 * readers elsewhere see counts that may lag by a command.
 */
public final class ClusterStats {
    /** The redirect kinds, by the error prefix the client sees. */
    public enum Redirect { MOVED, ASK, TRYAGAIN, CROSSSLOT, CLUSTERDOWN }

    private final long[] sent = new long[BusMessageType.values().length];
    private final long[] received = new long[BusMessageType.values().length];
    private final long[] redirects = new long[Redirect.values().length];
    private long failovers;
    private long linkErrors;
    private long linksBufferLimitExceeded;
    private volatile long linksMemory;

    /** This node replaced its primary (an election won, or a manual / forced / takeover failover). */
    void failedOver() {
        failovers++;
    }

    public long failovers() {
        return failovers;
    }

    /** A bus link failed: an outbound connect that did not succeed, or a link closed on an error or a bad frame. */
    void linkError() {
        linkErrors++;
    }

    public long linkErrors() {
        return linkErrors;
    }

    /** A link was dropped because its send buffer went over cluster-link-sendbuf-limit. */
    void linkBufferLimitExceeded() {
        linksBufferLimitExceeded++;
    }

    /** CLUSTER INFO's {@code total_cluster_links_buffer_limit_exceeded}. */
    public long linksBufferLimitExceeded() {
        return linksBufferLimitExceeded;
    }

    void linksMemory(long bytes) {
        linksMemory = bytes;
    }

    /** The memory of every bus link at the last cron tick, INFO's {@code mem_cluster_links}. */
    public long linksMemory() {
        return linksMemory;
    }

    /** Counts a redirect the gate replied, by its prefix (MOVED, ASK, TRYAGAIN, CROSSSLOT, CLUSTERDOWN). */
    void redirected(String error) {
        Redirect kind = switch (error.charAt(0)) {
            case 'M' -> Redirect.MOVED;
            case 'A' -> Redirect.ASK;
            case 'T' -> Redirect.TRYAGAIN;
            case 'C' -> error.startsWith("CROSSSLOT") ? Redirect.CROSSSLOT : Redirect.CLUSTERDOWN;
            default -> null;
        };
        if (kind != null) {
            redirects[kind.ordinal()]++;
        }
    }

    /** Redirects replied of {@code kind} since the node started. */
    public long redirects(Redirect kind) {
        return redirects[kind.ordinal()];
    }

    /** Bus messages of {@code type} sent since the node started. */
    public long sentCount(BusMessageType type) {
        return sent[type.ordinal()];
    }

    /** Bus messages of {@code type} received since the node started. */
    public long receivedCount(BusMessageType type) {
        return received[type.ordinal()];
    }

    void sent(BusMessageType type) {
        sent[type.ordinal()]++;
    }

    void received(BusMessageType type) {
        received[type.ordinal()]++;
    }

    /** The INFO lines: one per type with a non-zero count, then the total, for sent then received. */
    void appendTo(StringBuilder b) {
        append(b, sent, "sent");
        append(b, received, "received");
    }

    private static void append(StringBuilder b, long[] counts, String what) {
        long total = 0;
        for (BusMessageType t : BusMessageType.values()) {
            long n = counts[t.ordinal()];
            if (n > 0) {
                b.append("cluster_stats_messages_").append(wireName(t)).append('_').append(what).append(':').append(n).append("\r\n");
                total += n;
            }
        }
        b.append("cluster_stats_messages_").append(what).append(':').append(total).append("\r\n");
    }

    /** Redis's names of the types in these lines (clusterGetMessageTypeString). */
    public static String wireName(BusMessageType t) {
        return switch (t) {
            case PING -> "ping";
            case PONG -> "pong";
            case MEET -> "meet";
            case FAIL -> "fail";
            case PUBLISH -> "publish";
            case PUBLISHSHARD -> "publishshard";
            case FAILOVER_AUTH_REQUEST -> "auth-req";
            case FAILOVER_AUTH_ACK -> "auth-ack";
            case UPDATE -> "update";
            case MFSTART -> "mfstart";
            case MODULE -> "module";
        };
    }
}
