package io.rookery.node.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node knows of one cluster node (itself included), as Redis's {@code clusterNode}: its
 * name, addresses, flags, primary, epochs, the slots it claims and the failure reports about it.
 * Owned by the command thread; nothing else reads or writes it.
 */
public final class ClusterNode {
    public static final int MASTER = 1;
    public static final int SLAVE = 2;
    public static final int PFAIL = 4;
    public static final int FAIL = 8;
    public static final int MYSELF = 16;
    public static final int HANDSHAKE = 32;
    public static final int NOADDR = 64;
    public static final int MEET = 128;
    public static final int MIGRATE_TO = 256;
    public static final int NOFAILOVER = 512;

    private String name;
    String ip = "";
    int port;
    int cport;
    int pport;
    String hostname = "";
    int flags;
    ClusterNode primary;
    final List<ClusterNode> replicas = new ArrayList<>();
    long configEpoch;
    long pingSent;
    long pongReceived;
    /** Since when this primary has been orphaned (slots, no working replica, had one), or 0 (replica migration). */
    long orphanedSince;
    long dataReceived;
    long failTime;
    long replOffset;
    final BitSet slots = new BitSet(16384);
    /** Failure reports about this node: reporter name to the time of its latest report. */
    final Map<String, Long> failReports = new LinkedHashMap<>();
    /** The bus link this node opened to it (PINGs out, PONGs back); null when not connected. */
    BusLink link;
    /** An outbound connection is being made (not yet a link). */
    boolean connecting;
    /** The link it opened to this node, once a message on it named this node. */
    BusLink inboundLink;
    /** Votes: when this node last voted for a replica of this primary (one vote per 2 x node timeout). */
    long votedAt;
    final long createdAt;

    ClusterNode(String name, int flags, long now) {
        this.name = name;
        this.flags = flags;
        this.createdAt = now;
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    public int cport() {
        return cport;
    }

    public String hostname() {
        return hostname;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isPrimary() {
        return has(MASTER);
    }

    public boolean isReplica() {
        return has(SLAVE);
    }

    public boolean isMyself() {
        return has(MYSELF);
    }

    public ClusterNode primary() {
        return primary;
    }

    public List<ClusterNode> replicas() {
        return List.copyOf(replicas);
    }

    public long configEpoch() {
        return configEpoch;
    }

    /** The epoch CLUSTER NODES shows: a replica reports its primary's. */
    long reportedEpoch() {
        return isReplica() && primary != null ? primary.configEpoch : configEpoch;
    }

    public int slotCount() {
        return slots.cardinality();
    }

    public BitSet slots() {
        return (BitSet) slots.clone();
    }

    public long replOffset() {
        return replOffset;
    }

    public boolean linked() {
        return link != null || isMyself();
    }

    void setPrimary(ClusterNode newPrimary) {
        if (primary == newPrimary) {
            return;
        }
        if (primary != null) {
            primary.replicas.remove(this);
            if (primary.replicas.isEmpty()) {
                primary.flags &= ~MIGRATE_TO;
            }
        }
        primary = newPrimary;
        if (newPrimary != null && !newPrimary.replicas.contains(this)) {
            newPrimary.replicas.add(this);
            newPrimary.flags |= MIGRATE_TO; // it had a replica: worth one again if orphaned (replica migration)
        }
    }

    /**
     * The host clients are told to use for this node under {@code cluster-preferred-endpoint-type}:
     * its ip, its hostname ("?" when it announced none), or "?" for unknown-endpoint.
     */
    String preferredEndpoint(String type) {
        return switch (type) {
            case "hostname" -> hostname.isEmpty() ? "?" : hostname;
            case "unknown-endpoint" -> "?";
            default -> ip;
        };
    }

    /** Redis's flag words, comma separated, in its order ("noflags" when none applies). */
    String flagWords() {
        StringBuilder b = new StringBuilder();
        word(b, MYSELF, "myself");
        word(b, MASTER, "master");
        word(b, SLAVE, "slave");
        word(b, PFAIL, "fail?");
        word(b, FAIL, "fail");
        word(b, HANDSHAKE, "handshake");
        word(b, NOADDR, "noaddr");
        word(b, NOFAILOVER, "nofailover");
        return b.isEmpty() ? "noflags" : b.toString();
    }

    private void word(StringBuilder b, int flag, String word) {
        if (has(flag)) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(word);
        }
    }

    static int parseFlags(String words) {
        int f = 0;
        for (String w : words.split(",")) {
            f |= switch (w) {
                case "myself" -> MYSELF;
                case "master" -> MASTER;
                case "slave" -> SLAVE;
                case "fail?" -> PFAIL;
                case "fail" -> FAIL;
                case "handshake" -> HANDSHAKE;
                case "noaddr" -> NOADDR;
                case "nofailover" -> NOFAILOVER;
                default -> 0;
            };
        }
        return f;
    }
}
