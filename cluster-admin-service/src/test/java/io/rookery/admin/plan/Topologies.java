package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.List;

/** Hand-built snapshots for planner tests. */
final class Topologies {
    private Topologies() {
    }

    /** A 40-character node id derived from {@code name}. */
    static String id(String name) {
        StringBuilder id = new StringBuilder(name).append('.');
        while (id.length() < 40) {
            id.append('0');
        }
        return id.toString();
    }

    /** An empty primary named {@code name} at {@code host:port}. */
    static ClusterNode empty(String name, String host, int port) {
        return ClusterNode.primary(id(name), host, port, List.of());
    }

    /** A primary owning {@code ranges} ("0-5460", "7"). */
    static ClusterNode primary(String name, int port, String... ranges) {
        return ClusterNode.primary(id(name), "127.0.0.1", port, ranges(ranges));
    }

    static List<SlotRange> ranges(String... ranges) {
        List<SlotRange> list = new ArrayList<>();
        for (String range : ranges) {
            String[] ends = range.split("-");
            int start = Integer.parseInt(ends[0]);
            list.add(new SlotRange(start, ends.length == 1 ? start : Integer.parseInt(ends[1])));
        }
        return list;
    }

    /** Primaries splitting the slots as redis-cli's create does, named p0, p1, ... on ports 7000+. */
    static ClusterTopology evenPrimaries(int count) {
        List<List<SlotRange>> split = CreatePlanner.split(count);
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(ClusterNode.primary(id("p" + i), "127.0.0.1", 7000 + i, split.get(i)));
        }
        return ClusterTopology.of(nodes);
    }

    /** {@code topology} with an extra empty primary {@code name}. */
    static ClusterTopology plusEmpty(ClusterTopology topology, String name, int port) {
        List<ClusterNode> nodes = new ArrayList<>(topology.nodes());
        nodes.add(ClusterNode.primary(id(name), "127.0.0.1", port, List.of()));
        return new ClusterTopology(nodes, topology.loads());
    }

    /** Sum of slot counts each node owns after applying the plan's moves. */
    static SlotMap after(ClusterTopology topology, Plan plan) {
        return new SlotMap(topology).applyAll(plan.moves());
    }
}
