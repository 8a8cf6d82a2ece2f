package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static io.rookery.admin.plan.Topologies.ranges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReshardPlannerTest {
    private final ReshardPlanner planner = new ReshardPlanner();

    // The real redis-server 7.0.15 cluster of RebalancePlannerTest after its use-empty-masters rebalance, listed as
    // redis-cli loads it from :17800.
    private static final String N17800 = "5278f9088757a595ef4110271d4b1e20933811c3";
    private static final String N17801 = "a21e313318d5ec7278547fcaae0c383a6b7f5eb1";
    private static final String N17802 = "54af58f53a67da1d62b95395b5894226bf2af5c0";
    private static final String N17803 = "2a0a3b9b789561a9018a284619faa001ea1c9eae";
    private static final String N17804 = "228cf6ed38eacc76a4be7cec6d292f42b23fc921";

    private static ClusterTopology recordedCluster() {
        return ClusterTopology.of(List.of(
                ClusterNode.primary(N17800, "127.0.0.1", 17800, ranges("2185-5460")),
                ClusterNode.primary(N17804, "127.0.0.1", 17804, ranges("5461-7646", "10923-12014")),
                ClusterNode.primary(N17802, "127.0.0.1", 17802, ranges("13108-16383")),
                ClusterNode.primary(N17801, "127.0.0.1", 17801, ranges("7647-10922")),
                ClusterNode.primary(N17803, "127.0.0.1", 17803, ranges("0-2184", "12015-13107"))));
    }

    /** source → [count, first slot], in plan order, as `uniq -c` of redis-cli's "Moving slot" lines shows. */
    private static Map<String, int[]> perSource(Plan plan) {
        Map<String, int[]> map = new LinkedHashMap<>();
        for (SlotMove move : plan.moves()) {
            int[] entry = map.computeIfAbsent(move.sourceId(), s -> new int[] {0, move.slot()});
            entry[0]++;
        }
        return map;
    }

    @Test
    void fromAllMatchesRedisClisReshardTable() {
        // redis-cli --cluster reshard :17800 --cluster-from all --cluster-to <17800> --cluster-slots 1000:
        // 251 from 17804 (from slot 5461), 250 from 17803 (0), 249 from 17802 (13108), 249 from 17801 (7647)
        Plan plan = planner.plan(recordedCluster(), N17800, List.of("all"), 1000);
        Map<String, int[]> perSource = perSource(plan);
        assertThat(perSource.keySet()).containsExactly(N17804, N17803, N17802, N17801);
        assertThat(perSource.get(N17804)).containsExactly(251, 5461);
        assertThat(perSource.get(N17803)).containsExactly(250, 0);
        assertThat(perSource.get(N17802)).containsExactly(249, 13108);
        assertThat(perSource.get(N17801)).containsExactly(249, 7647);
        assertThat(plan.moves()).hasSize(999).allSatisfy(m -> assertThat(m.targetId()).isEqualTo(N17800));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("Moving 999 slots, not 1000"));
        assertThat(Topologies.after(recordedCluster(), plan).slotCount(N17800)).isEqualTo(3276 + 999);
    }

    @Test
    void namedSourcesWithEqualCountsKeepTheGivenOrder() {
        // --cluster-from <17801>,<17802> --cluster-to <17803> --cluster-slots 101: 51 from 17801, 50 from 17802,
        // the last being slot 13157
        Plan plan = planner.plan(recordedCluster(), N17803, List.of(N17801, N17802), 101);
        Map<String, int[]> perSource = perSource(plan);
        assertThat(perSource.keySet()).containsExactly(N17801, N17802);
        assertThat(perSource.get(N17801)).containsExactly(51, 7647);
        assertThat(perSource.get(N17802)).containsExactly(50, 13108);
        assertThat(plan.moves().get(100).slot()).isEqualTo(13157);
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void emptyOrNullSourcesMeanAll() {
        assertThat(planner.plan(recordedCluster(), N17800, List.of(), 1000).moves())
                .isEqualTo(planner.plan(recordedCluster(), N17800, null, 1000).moves())
                .isEqualTo(planner.plan(recordedCluster(), N17800, List.of("all"), 1000).moves());
    }

    @Test
    void largestSourceComesFirstAndIsRoundedUp() {
        ClusterTopology topology = ClusterTopology.of(List.of(
                Topologies.primary("small", 7000, "0-99"),
                Topologies.primary("big", 7001, "100-16283"),
                Topologies.primary("target", 7002, "16284-16383")));
        Plan plan = planner.plan(topology, id("target"), List.of(id("small"), id("big")), 10);
        // 10/16284*100 = 0.06 -> floor 0; 10/16284*16184 = 9.94 -> ceil 10
        assertThat(plan.moves()).hasSize(10).allSatisfy(m -> assertThat(m.sourceId()).isEqualTo(id("big")));
        assertThat(plan.moves().get(0).slot()).isEqualTo(100);
    }

    @Test
    void singleSourceGivesExactlyTheCount() {
        ClusterTopology topology = evenPrimaries(3);
        Plan plan = planner.plan(topology, id("p0"), List.of(id("p2")), 16384 - 10923);
        assertThat(plan.moves()).hasSize(5461);
        assertThat(Topologies.after(topology, plan).slotCount(id("p2"))).isZero();
    }

    @Test
    void targetAmongSourcesIsSkippedAsRedisCliDoes() {
        Plan plan = planner.plan(evenPrimaries(3), id("p0"), List.of(id("p0"), id("p1")), 5);
        assertThat(plan.moves()).hasSize(5);
        assertThat(plan.notes()).contains("*** It is not possible to use the target node as source node.");
    }

    @Test
    void rejectsUnknownOrReplicaTargetsAndBadCounts() {
        List<ClusterNode> nodes = new ArrayList<>(evenPrimaries(3).nodes());
        nodes.add(ClusterNode.replica(id("r"), "127.0.0.1", 7100, id("p0")));
        ClusterTopology topology = ClusterTopology.of(nodes);
        assertThatThrownBy(() -> planner.plan(topology, id("r"), null, 10)).isInstanceOf(PlanRejectedException.class)
                .hasMessage("*** The specified node (" + id("r") + ") is not known or not a master, please retry.");
        assertThatThrownBy(() -> planner.plan(topology, "nope", null, 10))
                .hasMessageContaining("is not known or not a master");
        assertThatThrownBy(() -> planner.plan(topology, id("p0"), null, 0)).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> planner.plan(topology, id("p0"), null, 16385)).hasMessageContaining("between 1");
        assertThatThrownBy(() -> planner.plan(topology, id("p0"), List.of(id("p0")), 5))
                .hasMessage("*** No source nodes given, operation aborted.");
    }

    @Test
    void sourcesOwningNothingAreRejected() {
        ClusterTopology topology = Topologies.plusEmpty(evenPrimaries(3), "e", 7100);
        assertThatThrownBy(() -> planner.plan(topology, id("p0"), List.of(id("e")), 5))
                .hasMessage("*** The source nodes own no slots, operation aborted.");
    }

    @Test
    void rangesMoveExactlyThoseSlotsFromTheirOwners() {
        ClusterTopology topology = evenPrimaries(3);
        Plan plan = planner.planRanges(topology, id("p1"), ranges("5459-5462", "16383", "5460"));
        assertThat(plan.moves()).containsExactly(
                new SlotMove(5459, id("p0"), id("p1"), 0, 0),
                new SlotMove(5460, id("p0"), id("p1"), 0, 0),
                new SlotMove(16383, id("p2"), id("p1"), 0, 0));
        assertThat(plan.notes()).containsExactly("2 of the requested slots are already owned by 127.0.0.1:7001");
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(5459, 5465, 5460);
    }

    @Test
    void rangesAlreadyOwnedGiveAnEmptyPlan() {
        Plan plan = planner.planRanges(evenPrimaries(3), id("p0"), ranges("0-100"));
        assertThat(plan.isEmpty()).isTrue();
    }
}
