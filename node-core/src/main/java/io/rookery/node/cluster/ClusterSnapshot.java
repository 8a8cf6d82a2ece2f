package io.rookery.node.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable picture of the cluster as this node sees it, taken on the command thread for readers
 * elsewhere (the REST API): itself, the state, the epochs, every node with its flags and link, and
 * the slot table as ranges with their owner and any migration in progress.
 */
public record ClusterSnapshot(String myself, boolean ok, long currentEpoch, long myEpoch, int knownNodes, int size,
        List<Node> nodes, List<SlotRange> slots) {

    /** A node: name, address, flags (Redis's words), primary (null for a primary), epoch, link and slot count. */
    public record Node(String id, String ip, int port, int busPort, String hostname, List<String> flags, String primary,
            long configEpoch, boolean connected, int slots) {
    }

    /**
     * A run of consecutive slots with one owner (null: unassigned) and, for a single slot being moved,
     * the node it migrates to or imports from.
     */
    public record SlotRange(int from, int to, String owner, String migratingTo, String importingFrom) {
    }

    static ClusterSnapshot of(ClusterState s) {
        List<Node> nodes = new ArrayList<>();
        for (ClusterNode n : s.nodes()) {
            nodes.add(new Node(n.name(), n.ip, n.port, n.cport, n.hostname, List.of(n.flagWords().split(",")),
                    n.primary() == null ? null : n.primary().name(), n.reportedEpoch(), n.linked(), n.slotCount()));
        }
        List<SlotRange> ranges = new ArrayList<>();
        int start = 0;
        for (int slot = 1; slot <= ClusterState.SLOTS; slot++) {
            boolean moving = slot < ClusterState.SLOTS
                    && (s.migratingTo(slot) != null || s.importingFrom(slot) != null
                    || s.migratingTo(slot - 1) != null || s.importingFrom(slot - 1) != null);
            if (slot == ClusterState.SLOTS || s.owner(slot) != s.owner(start) || moving) {
                ranges.add(new SlotRange(start, slot - 1, name(s.owner(start)), name(s.migratingTo(start)),
                        name(s.importingFrom(start))));
                start = slot;
            }
        }
        ClusterNode me = s.myself();
        return new ClusterSnapshot(me.name(), s.ok(), s.currentEpoch(), me.reportedEpoch(), s.nodes().size(), s.size(),
                List.copyOf(nodes), List.copyOf(ranges));
    }

    private static String name(ClusterNode n) {
        return n == null ? null : n.name();
    }
}
