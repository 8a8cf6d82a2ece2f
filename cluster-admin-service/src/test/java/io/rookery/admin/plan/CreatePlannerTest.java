package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.empty;
import static io.rookery.admin.plan.Topologies.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreatePlannerTest {
    private final CreatePlanner planner = new CreatePlanner();

    private static List<ClusterNode> sameHost(int count) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(empty("n" + i, "127.0.0.1", 30000 + i));
        }
        return nodes;
    }

    private static Map<String, String> replicaOf(Plan plan) {
        Map<String, String> map = new HashMap<>();
        plan.replicaAssignments().forEach(r -> map.put(r.replicaId(), r.primaryId()));
        return map;
    }

    private static Map<String, String> hostOf(List<ClusterNode> nodes) {
        Map<String, String> map = new HashMap<>();
        nodes.forEach(n -> map.put(n.id(), n.host()));
        return map;
    }

    @Test
    void splitsSlotsAsRedisCliPrintsForThreePrimaries() {
        assertThat(CreatePlanner.split(3)).containsExactly(Topologies.ranges("0-5460"), Topologies.ranges("5461-10922"),
                Topologies.ranges("10923-16383"));
    }

    @Test
    void splitsSlotsAsRedisCliForFourFiveAndSixPrimaries() {
        assertThat(CreatePlanner.split(4)).containsExactly(Topologies.ranges("0-4095"), Topologies.ranges("4096-8191"),
                Topologies.ranges("8192-12287"), Topologies.ranges("12288-16383"));
        assertThat(CreatePlanner.split(5)).containsExactly(Topologies.ranges("0-3276"), Topologies.ranges("3277-6553"),
                Topologies.ranges("6554-9829"), Topologies.ranges("9830-13106"), Topologies.ranges("13107-16383"));
        assertThat(CreatePlanner.split(6).get(0)).containsExactly(new SlotRange(0, 2730));
    }

    @Test
    void everySplitCoversAllSlotsOnceInContiguousRangesDifferingByAtMostOne() {
        for (int primaries = 3; primaries <= 200; primaries++) {
            BitSet covered = new BitSet();
            int min = Integer.MAX_VALUE;
            int max = 0;
            int next = 0;
            for (List<SlotRange> ranges : CreatePlanner.split(primaries)) {
                assertThat(ranges).hasSize(1);
                SlotRange range = ranges.get(0);
                assertThat(range.start()).isEqualTo(next);
                next = range.end() + 1;
                covered.set(range.start(), range.end() + 1);
                min = Math.min(min, range.size());
                max = Math.max(max, range.size());
            }
            assertThat(covered.cardinality()).isEqualTo(SlotRange.SLOTS);
            assertThat(max - min).as("primaries=%d", primaries).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void sixNodesOnOneHostPairReplicasAsRedisCliDoes() {
        List<ClusterNode> nodes = sameHost(6);
        Plan plan = planner.plan(nodes, 1);
        // redis-cli: Adding replica :30005 to :30001, :30006 to :30002, :30004 to :30003
        assertThat(plan.replicaAssignments()).containsExactly(
                new ReplicaAssignment(id("n4"), id("n3")),
                new ReplicaAssignment(id("n5"), id("n1")),
                new ReplicaAssignment(id("n6"), id("n2")));
        assertThat(plan.slotAssignments()).extracting(SlotAssignment::slots).containsExactly(
                Topologies.ranges("0-5460"), Topologies.ranges("5461-10922"), Topologies.ranges("10923-16383"),
                List.of(), List.of(), List.of());
        assertThat(plan.notes()).containsExactly("[WARNING] Some slaves are in the same host as their master");
        assertThat(plan.kind()).isEqualTo(PlanKind.CREATE);
    }

    @Test
    void givesEveryNodeADistinctConfigEpochInTheGivenOrderAndMeetsTheFirst() {
        List<ClusterNode> nodes = sameHost(6);
        Plan plan = planner.plan(nodes, 1);
        assertThat(plan.slotAssignments()).extracting(SlotAssignment::configEpoch).containsExactly(1L, 2L, 3L, 4L, 5L,
                6L);
        assertThat(plan.slotAssignments()).extracting(SlotAssignment::nodeId)
                .containsExactlyElementsOf(nodes.stream().map(ClusterNode::id).toList());
        assertThat(plan.meets()).hasSize(5).allSatisfy(meet -> {
            assertThat(meet.host()).isEqualTo("127.0.0.1");
            assertThat(meet.port()).isEqualTo(30001);
            assertThat(meet.busPort()).isEqualTo(40001);
        });
        assertThat(plan.meets()).extracting(NodeMeet::nodeId).doesNotContain(id("n1"));
    }

    @Test
    void replicaIsNeverOnItsPrimarysHostWhenHostsDiffer() {
        // three hosts, two nodes each, listed host by host: the worst order for a naive split
        List<ClusterNode> nodes = List.of(
                empty("a1", "10.0.0.1", 7000), empty("a2", "10.0.0.1", 7001),
                empty("b1", "10.0.0.2", 7000), empty("b2", "10.0.0.2", 7001),
                empty("c1", "10.0.0.3", 7000), empty("c2", "10.0.0.3", 7001));
        Plan plan = planner.plan(nodes, 1);
        Map<String, String> host = hostOf(nodes);
        // primaries interleaved over hosts: a1, b1, c1
        assertThat(plan.slotAssignments()).filteredOn(a -> !a.slots().isEmpty()).extracting(SlotAssignment::nodeId)
                .containsExactly(id("a1"), id("b1"), id("c1"));
        replicaOf(plan).forEach((replica, primary) -> assertThat(host.get(replica)).isNotEqualTo(host.get(primary)));
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void threeHostsPairAsRedisCliPairedThem() {
        // redis-cli 7.0.15 --cluster create .1:17810 .1:17811 .2:17812 .2:17813 .3:17814 .3:17815 --cluster-replicas 1
        // printed: Adding replica .2:17813 to .1:17810, .3:17815 to .2:17812, .1:17811 to .3:17814
        List<ClusterNode> nodes = List.of(
                empty("a", "127.0.0.1", 17810), empty("b", "127.0.0.1", 17811),
                empty("c", "127.0.0.2", 17812), empty("d", "127.0.0.2", 17813),
                empty("e", "127.0.0.3", 17814), empty("f", "127.0.0.3", 17815));
        Plan plan = planner.plan(nodes, 1);
        assertThat(plan.after()).extracting(PrimaryFigures::endpoint)
                .containsExactly("127.0.0.1:17810", "127.0.0.2:17812", "127.0.0.3:17814");
        assertThat(replicaOf(plan)).containsOnly(
                Map.entry(id("d"), id("a")), Map.entry(id("f"), id("c")), Map.entry(id("b"), id("e")));
    }

    @Test
    void antiAffinityHoldsForManyHostLayoutsWhereItIsPossible() {
        String[][] layouts = {
            {"h1", "h1", "h1", "h2", "h2", "h2"},
            {"h1", "h1", "h1", "h1", "h2", "h2", "h2", "h2"},
            {"h1", "h2", "h3", "h1", "h2", "h3", "h1", "h2", "h3"},
            {"h1", "h1", "h1", "h1", "h1", "h1", "h2", "h2", "h2", "h3", "h3", "h3"},
            {"h1", "h1", "h2", "h2", "h3", "h3", "h4", "h4", "h5", "h5", "h6", "h6"},
        };
        int[] replicasPerPrimary = {1, 1, 2, 1, 1};
        for (int l = 0; l < layouts.length; l++) {
            List<ClusterNode> nodes = new ArrayList<>();
            for (int i = 0; i < layouts[l].length; i++) {
                nodes.add(empty("n" + i + "x", layouts[l][i], 7000 + i));
            }
            Plan plan = planner.plan(nodes, replicasPerPrimary[l]);
            int layout = l;
            Map<String, String> host = hostOf(nodes);
            assertThat(replicaOf(plan)).hasSize(nodes.size() - nodes.size() / (replicasPerPrimary[l] + 1));
            replicaOf(plan).forEach((replica, primary) -> assertThat(host.get(replica)).as("layout %d", layout)
                    .isNotEqualTo(host.get(primary)));
        }
    }

    @Test
    void allNodesOnOneHostStillPlansAndWarns() {
        Plan plan = planner.plan(sameHost(9), 2);
        assertThat(plan.replicaAssignments()).hasSize(6);
        Map<String, Long> perPrimary = new HashMap<>();
        plan.replicaAssignments().forEach(r -> perPrimary.merge(r.primaryId(), 1L, Long::sum));
        assertThat(perPrimary.values()).containsOnly(2L);
        assertThat(plan.notes()).containsExactly("[WARNING] Some slaves are in the same host as their master");
    }

    @Test
    void extraNodesBecomeExtraReplicasOnePerPrimary() {
        Plan plan = planner.plan(sameHost(8), 1);
        // 8 / 2 = 4 primaries, 4 replicas
        assertThat(plan.after()).hasSize(4);
        assertThat(plan.replicaAssignments()).hasSize(4);
        Plan extra = planner.plan(sameHost(7), 1);
        // 7 / 2 = 3 primaries, 3 replicas + 1 extra replica
        assertThat(extra.after()).hasSize(3);
        assertThat(extra.replicaAssignments()).hasSize(4);
        assertThat(extra.objective()).contains("extra nodes as extra replicas");
    }

    @Test
    void noReplicasMakesEveryNodeAPrimary() {
        Plan plan = planner.plan(sameHost(5), 0);
        assertThat(plan.replicaAssignments()).isEmpty();
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(3277, 3277, 3276, 3277, 3277);
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void rejectsFewerThanThreePrimariesWithRedisCliReason() {
        assertThatThrownBy(() -> planner.plan(sameHost(5), 1))
                .isInstanceOf(PlanRejectedException.class)
                .hasMessage("*** ERROR: Invalid configuration for cluster creation.\n"
                        + "*** Redis Cluster requires at least 3 master nodes.\n"
                        + "*** This is not possible with 5 nodes and 1 replicas per node.\n"
                        + "*** At least 6 nodes are required.");
        assertThatThrownBy(() -> planner.plan(sameHost(2), 0)).hasMessageContaining("At least 3 nodes are required.");
    }

    @Test
    void rejectsANodeThatIsNotEmpty() {
        List<ClusterNode> nodes = new ArrayList<>(sameHost(3));
        nodes.set(1, ClusterNode.primary(id("n2"), "127.0.0.1", 30002, Topologies.ranges("5")));
        assertThatThrownBy(() -> planner.plan(nodes, 0)).isInstanceOf(PlanRejectedException.class)
                .hasMessage("[ERR] Node 127.0.0.1:30002 is not empty. Either the node already knows other nodes"
                        + " (check with CLUSTER NODES) or contains some key in database 0.");
    }

    @Test
    void isDeterministic() {
        List<ClusterNode> nodes = new ArrayList<>();
        String[] hosts = {"h1", "h1", "h1", "h1", "h2", "h2", "h3", "h1", "h2"};
        for (int i = 0; i < hosts.length; i++) {
            nodes.add(empty("d" + i, hosts[i], 7000 + i));
        }
        assertThat(planner.plan(nodes, 2)).isEqualTo(planner.plan(nodes, 2));
    }
}
