package io.rookery.node.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The text form of the node table, shared by {@code CLUSTER NODES} and nodes.conf (Redis's
 * {@code clusterGenNodeDescription}): one line per node,
 * {@code <id> <ip>:<port>@<cport>[,<hostname>] <flags> <primary|-> <ping-sent> <pong-recv> <config-epoch>
 * <connected|disconnected> <slot or range>...}, and for myself the migrations in progress as
 * {@code [slot->-<id>]} and {@code [slot-<-<id>]}.
 */
final class NodesDescription {
    private NodesDescription() {
    }

    /** Every node but those in handshake when {@code skipHandshake} (nodes.conf leaves them out). */
    static String describe(ClusterState state, boolean skipHandshake) {
        StringBuilder b = new StringBuilder();
        for (ClusterNode n : state.nodes()) {
            if (skipHandshake && n.has(ClusterNode.HANDSHAKE)) {
                continue;
            }
            b.append(line(state, n)).append('\n');
        }
        return b.toString();
    }

    static String line(ClusterState state, ClusterNode n) {
        StringBuilder b = new StringBuilder(n.name()).append(' ').append(n.ip).append(':').append(n.port).append('@')
                .append(n.cport);
        if (!n.hostname.isEmpty()) {
            b.append(',').append(n.hostname);
        }
        b.append(' ').append(n.flagWords()).append(' ').append(n.primary != null ? n.primary.name() : "-")
                .append(' ').append(n.pingSent).append(' ').append(n.pongReceived).append(' ').append(n.reportedEpoch())
                .append(' ').append(n.linked() ? "connected" : "disconnected");
        for (int[] range : ownedRanges(state, n)) {
            b.append(' ').append(range[0]);
            if (range[1] != range[0]) {
                b.append('-').append(range[1]);
            }
        }
        if (n.isMyself()) {
            for (int s = 0; s < ClusterState.SLOTS; s++) {
                if (state.migratingTo(s) != null) {
                    b.append(" [").append(s).append("->-").append(state.migratingTo(s).name()).append(']');
                } else if (state.importingFrom(s) != null) {
                    b.append(" [").append(s).append("-<-").append(state.importingFrom(s).name()).append(']');
                }
            }
        }
        return b.toString();
    }

    /** The slot ranges the slot table gives to {@code n}, in order, as {first, last} pairs. */
    static List<int[]> ownedRanges(ClusterState state, ClusterNode n) {
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int s = 0; s <= ClusterState.SLOTS; s++) {
            boolean owned = s < ClusterState.SLOTS && state.owner(s) == n;
            if (owned && start < 0) {
                start = s;
            } else if (!owned && start >= 0) {
                ranges.add(new int[] {start, s - 1});
                start = -1;
            }
        }
        return ranges;
    }
}
