package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusMessageType;

/** Bus messages sent and received by type, for CLUSTER INFO's {@code cluster_stats_messages_*} lines. */
public final class ClusterStats {
    private final long[] sent = new long[BusMessageType.values().length];
    private final long[] received = new long[BusMessageType.values().length];

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
    static String wireName(BusMessageType t) {
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
