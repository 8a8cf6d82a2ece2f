package io.rookery.admin.cluster;

import io.rookery.admin.plan.ClusterNode;
import io.rookery.admin.plan.ClusterTopology;
import io.rookery.admin.plan.NodeFlag;
import io.rookery.admin.plan.NodeRole;
import io.rookery.admin.plan.SlotLoads;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link ClusterSnapshot} into the planners' {@link ClusterTopology}: the nodes in the order
 * redis-cli meets them (the first reached node, then the others in its CLUSTER NODES order), flags and
 * link state as that first node sees them, slots and open slots as each node says of itself, and per
 * node the key counts of its open slots and of uncovered slots (what the fixer needs).
 */
public final class TopologyBuilder {
    private TopologyBuilder() {
    }

    public static ClusterTopology build(ClusterSnapshot snapshot, SlotLoads loads, ClusterConnections connections) {
        List<NodeState> ordered = ordered(snapshot);
        NodeState reader = ordered.isEmpty() ? null : ordered.get(0);
        BitSet uncovered = new BitSet(16384);
        uncovered.set(0, 16384);
        uncovered.andNot(snapshot.covered());
        BitSet open = new BitSet(16384);
        snapshot.openSlots().keySet().forEach(open::set);
        List<ClusterNode> nodes = new ArrayList<>();
        for (NodeState n : ordered) {
            ClusterNodeEntry self = n.self();
            if (self.address() == null) {
                continue;
            }
            Optional<ClusterNodeEntry> seen = reader == null || reader == n ? Optional.empty()
                    : reader.view().stream().filter(e -> e.id().equals(n.id())).findFirst();
            EnumSet<NodeFlag> flags = flags(seen.map(ClusterNodeEntry::flags).orElse(self.flags()));
            if (!n.reached()) {
                flags.add(NodeFlag.PFAIL);
            }
            boolean link = seen.map(e -> "connected".equals(e.linkState())).orElse(n.reached());
            Map<Integer, Long> keys = Map.of();
            if (n.reached() && connections != null && self.primary()) {
                BitSet ask = (BitSet) open.clone();
                if (uncovered.cardinality() < 16384) { // a fresh set of nodes has nothing to fix
                    ask.or(uncovered);
                }
                if (!ask.isEmpty()) {
                    keys = SlotStatsReader.countKeys(connections.to(n.address()), ask);
                }
            }
            boolean primary = self.primary() || !self.replica();
            nodes.add(new ClusterNode(self.id(), self.address().host(), self.address().port(),
                    self.busPort() > 0 ? self.busPort() : self.address().port() + 10000,
                    primary ? NodeRole.PRIMARY : NodeRole.REPLICA, primary ? null : self.primaryId(), flags, link,
                    primary ? self.slotRanges() : List.of(), self.migrating(), self.importing(), self.configEpoch(),
                    n.replicationOffset(), keys));
        }
        return new ClusterTopology(nodes, loads);
    }

    private static List<NodeState> ordered(ClusterSnapshot snapshot) {
        NodeState first = snapshot.nodes().stream().filter(NodeState::reached).findFirst().orElse(null);
        if (first == null) {
            return snapshot.nodes();
        }
        List<NodeState> out = new ArrayList<>(List.of(first));
        for (ClusterNodeEntry e : first.view()) {
            snapshot.node(e.id()).filter(n -> !out.contains(n)).ifPresent(out::add);
        }
        snapshot.nodes().stream().filter(n -> !out.contains(n)).forEach(out::add);
        return out;
    }

    private static EnumSet<NodeFlag> flags(Set<String> text) {
        EnumSet<NodeFlag> out = EnumSet.noneOf(NodeFlag.class);
        for (String f : text) {
            switch (f) {
                case "myself" -> out.add(NodeFlag.MYSELF);
                case "fail" -> out.add(NodeFlag.FAIL);
                case "fail?" -> out.add(NodeFlag.PFAIL);
                case "handshake" -> out.add(NodeFlag.HANDSHAKE);
                case "noaddr" -> out.add(NodeFlag.NOADDR);
                case "nofailover" -> out.add(NodeFlag.NOFAILOVER);
                default -> { }
            }
        }
        return out;
    }
}
