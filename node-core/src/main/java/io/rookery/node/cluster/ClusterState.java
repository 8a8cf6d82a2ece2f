package io.rookery.node.cluster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's view of the cluster, as Redis's {@code clusterState}: the known nodes (itself among
 * them), which node owns each of the 16384 slots, the slots being migrated out or imported here, and
 * the epochs. Owned by the command thread. It holds the facts; the rules that change them live in the
 * commands and the bus handlers.
 */
public final class ClusterState {
    public static final int SLOTS = 16384;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterNode myself;
    private final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    private final ClusterNode[] owners = new ClusterNode[SLOTS];
    private final ClusterNode[] migratingTo = new ClusterNode[SLOTS];
    private final ClusterNode[] importingFrom = new ClusterNode[SLOTS];
    long currentEpoch;
    long lastVoteEpoch;
    private boolean ok;
    private int size;
    /** Told the slot whose owner changed (assigned, unassigned, taken over). */
    private java.util.function.IntConsumer ownerChanged = slot -> { };

    /** A fresh state with only a new primary named at random, as a node without nodes.conf starts. */
    public static ClusterState fresh(long now) {
        ClusterState s = new ClusterState();
        s.myself = new ClusterNode(randomName(), ClusterNode.MYSELF | ClusterNode.MASTER, now);
        s.nodes.put(s.myself.name(), s.myself);
        return s;
    }

    static ClusterState empty() {
        return new ClusterState();
    }

    public static String randomName() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public ClusterNode myself() {
        return myself;
    }

    void myself(ClusterNode node) {
        this.myself = node;
    }

    public ClusterNode node(String name) {
        return nodes.get(name);
    }

    public Collection<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    void add(ClusterNode node) {
        nodes.put(node.name(), node);
    }

    /** Forgets a node: its slots become unassigned, its replicas lose their primary, its reports go. */
    void remove(ClusterNode node) {
        for (int s = node.slots.nextSetBit(0); s >= 0; s = node.slots.nextSetBit(s + 1)) {
            if (owners[s] == node) {
                owners[s] = null;
            }
        }
        for (int s = 0; s < SLOTS; s++) {
            if (migratingTo[s] == node) {
                migratingTo[s] = null;
            }
            if (importingFrom[s] == node) {
                importingFrom[s] = null;
            }
        }
        for (ClusterNode r : List.copyOf(node.replicas)) {
            r.setPrimary(null);
        }
        node.setPrimary(null);
        for (ClusterNode n : nodes.values()) {
            n.failReports.remove(node.name());
        }
        nodes.remove(node.name());
    }

    void rename(ClusterNode node, String newName) {
        nodes.remove(node.name());
        node.rename(newName);
        nodes.put(newName, node);
    }

    public ClusterNode owner(int slot) {
        return owners[slot];
    }

    /** Who to tell when a slot changes owner (the slot statistics start again). */
    void onOwnerChange(java.util.function.IntConsumer listener) {
        this.ownerChanged = listener;
    }

    /** Gives {@code slot} to {@code node} (taking it from its previous owner). */
    void assign(int slot, ClusterNode node) {
        ClusterNode previous = owners[slot];
        if (previous != node) {
            ownerChanged.accept(slot);
        }
        if (previous != null) {
            previous.slots.clear(slot);
        }
        owners[slot] = node;
        node.slots.set(slot);
    }

    void unassign(int slot) {
        ClusterNode previous = owners[slot];
        if (previous != null) {
            ownerChanged.accept(slot);
        }
        if (previous != null) {
            previous.slots.clear(slot);
        }
        owners[slot] = null;
    }

    public ClusterNode migratingTo(int slot) {
        return migratingTo[slot];
    }

    public ClusterNode importingFrom(int slot) {
        return importingFrom[slot];
    }

    void migratingTo(int slot, ClusterNode node) {
        migratingTo[slot] = node;
    }

    void importingFrom(int slot, ClusterNode node) {
        importingFrom[slot] = node;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public long lastVoteEpoch() {
        return lastVoteEpoch;
    }

    /** The highest config epoch any known node has. */
    long maxConfigEpoch() {
        long max = 0;
        for (ClusterNode n : nodes.values()) {
            max = Math.max(max, n.configEpoch);
        }
        return max;
    }

    public boolean ok() {
        return ok;
    }

    /** Primaries that serve at least one slot (CLUSTER INFO cluster_size). */
    public int size() {
        return size;
    }

    /**
     * Recomputes the cluster state as Redis's {@code clusterUpdateState}: down when full coverage is
     * required and a slot is unassigned or its owner failed, or when this node sees fewer than a
     * majority of the slot-serving primaries reachable.
     */
    void updateState(boolean requireFullCoverage) {
        boolean healthy = true;
        if (requireFullCoverage) {
            for (int s = 0; s < SLOTS && healthy; s++) {
                healthy = owners[s] != null && !owners[s].has(ClusterNode.FAIL);
            }
        }
        int servingPrimaries = 0;
        int reachable = 0;
        for (ClusterNode n : nodes.values()) {
            if (n.isPrimary() && n.slotCount() > 0) {
                servingPrimaries++;
                if (!n.has(ClusterNode.FAIL | ClusterNode.PFAIL)) {
                    reachable++;
                }
            }
        }
        size = servingPrimaries;
        int quorum = servingPrimaries / 2 + 1;
        if (reachable < quorum) {
            healthy = false;
        }
        ok = healthy;
    }

    /** Nodes that are not myself, not in handshake and not without an address: the ones to talk to. */
    List<ClusterNode> peers() {
        List<ClusterNode> out = new ArrayList<>();
        for (ClusterNode n : nodes.values()) {
            if (!n.isMyself()) {
                out.add(n);
            }
        }
        return out;
    }
}
