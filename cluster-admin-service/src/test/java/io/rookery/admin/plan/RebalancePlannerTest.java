package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.ranges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {
    private final RebalancePlanner planner = new RebalancePlanner();

    // A real redis-server 7.0.15 cluster made by `redis-cli --cluster create` of :17800-:17802 plus two empty
    // primaries added with add-node; listed as redis-cli loads it (the seed, then its CLUSTER NODES lines).
    private static final String N17800 = "5278f9088757a595ef4110271d4b1e20933811c3";
    private static final String N17801 = "a21e313318d5ec7278547fcaae0c383a6b7f5eb1";
    private static final String N17802 = "54af58f53a67da1d62b95395b5894226bf2af5c0";
    private static final String N17803 = "2a0a3b9b789561a9018a284619faa001ea1c9eae";
    private static final String N17804 = "228cf6ed38eacc76a4be7cec6d292f42b23fc921";

    private static ClusterTopology recordedCluster() {
        return ClusterTopology.of(List.of(
                ClusterNode.primary(N17800, "127.0.0.1", 17800, ranges("0-5460")),
                ClusterNode.primary(N17804, "127.0.0.1", 17804, List.of()),
                ClusterNode.primary(N17802, "127.0.0.1", 17802, ranges("10923-16383")),
                ClusterNode.primary(N17801, "127.0.0.1", 17801, ranges("5461-10922")),
                ClusterNode.primary(N17803, "127.0.0.1", 17803, List.of())));
    }

    private static List<String> movingLines(Plan plan) {
        return plan.notes().stream().filter(n -> n.startsWith("Moving")).toList();
    }

    @Test
    void useEmptyMastersMatchesWhatRedisCliPrintedAndDid() {
        ClusterTopology topology = recordedCluster();
        Plan plan = planner.plan(topology, RebalanceOptions.defaults().withUseEmptyPrimaries(true));
        assertThat(plan.notes()).containsExactly(
                "127.0.0.1:17804 balance is -3278 slots",
                "127.0.0.1:17803 balance is -3278 slots",
                "127.0.0.1:17800 balance is 2185 slots",
                "127.0.0.1:17802 balance is 2185 slots",
                "127.0.0.1:17801 balance is 2186 slots",
                "Moving 2186 slots from 127.0.0.1:17801 to 127.0.0.1:17804",
                "Moving 1092 slots from 127.0.0.1:17802 to 127.0.0.1:17804",
                "Moving 1093 slots from 127.0.0.1:17802 to 127.0.0.1:17803",
                "Moving 2185 slots from 127.0.0.1:17800 to 127.0.0.1:17803");
        // CLUSTER NODES after redis-cli ran the same rebalance
        SlotMap after = Topologies.after(topology, plan);
        assertThat(after.rangesOf(N17804)).isEqualTo(ranges("5461-7646", "10923-12014"));
        assertThat(after.rangesOf(N17800)).isEqualTo(ranges("2185-5460"));
        assertThat(after.rangesOf(N17802)).isEqualTo(ranges("13108-16383"));
        assertThat(after.rangesOf(N17801)).isEqualTo(ranges("7647-10922"));
        assertThat(after.rangesOf(N17803)).isEqualTo(ranges("0-2184", "12015-13107"));
        assertThat(plan.moves()).hasSize(2186 + 1092 + 1093 + 2185);
        assertThat(plan.moves().get(0)).isEqualTo(new SlotMove(5461, N17801, N17804, 0, 0));
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(3276, 3278, 3276, 3276, 3278);
        assertThat(plan.before()).extracting(PrimaryFigures::slots).containsExactly(5461, 0, 5461, 5462, 0);
    }

    @Test
    void weightsAsRedisCliPrintedThem() {
        // --cluster-weight 5278f9=0 a21e31=2 (prefixes), empty primaries left out
        Plan plan = planner.plan(recordedCluster(),
                RebalanceOptions.defaults().withWeights(Map.of("5278f9", 0.0, "A21E31", 2.0)));
        assertThat(plan.notes()).containsExactly(
                "127.0.0.1:17801 balance is -5460 slots",
                "127.0.0.1:17802 balance is -1 slots",
                "127.0.0.1:17800 balance is 5461 slots",
                "Moving 5460 slots from 127.0.0.1:17800 to 127.0.0.1:17801",
                "Moving 1 slots from 127.0.0.1:17800 to 127.0.0.1:17802");
        assertThat(plan.moves().get(5460)).isEqualTo(new SlotMove(5460, N17800, N17802, 0, 0));
        assertThat(plan.objective()).contains("3 primaries").contains("total weight 3.00");
    }

    @Test
    void fractionalWeightsThresholdAndEmptyMastersAsRedisCliPrintedThem() {
        // --cluster-use-empty-masters --cluster-weight 228cf6=0.5 54af58=1.5 --cluster-threshold 10
        Plan plan = planner.plan(recordedCluster(), new RebalanceOptions(Map.of("228cf6", 0.5, "54af58", 1.5), 10,
                true));
        assertThat(plan.notes()).containsExactly(
                "127.0.0.1:17803 balance is -3277 slots",
                "127.0.0.1:17804 balance is -1640 slots",
                "127.0.0.1:17802 balance is 546 slots",
                "127.0.0.1:17800 balance is 2185 slots",
                "127.0.0.1:17801 balance is 2186 slots",
                "Moving 2186 slots from 127.0.0.1:17801 to 127.0.0.1:17803",
                "Moving 1091 slots from 127.0.0.1:17800 to 127.0.0.1:17803",
                "Moving 1094 slots from 127.0.0.1:17800 to 127.0.0.1:17804",
                "Moving 546 slots from 127.0.0.1:17802 to 127.0.0.1:17804");
    }

    @Test
    void withoutUseEmptyMastersABalancedClusterNeedsNothing() {
        Plan plan = planner.plan(recordedCluster(), RebalanceOptions.defaults());
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.notes()).containsExactly(
                "*** No rebalancing needed! All nodes are within the 2.00% threshold.");
        assertThat(plan.after()).isEqualTo(plan.before());
    }

    @Test
    void thresholdNotReachedGivesAnEmptyPlan() {
        // 3 primaries, one 5% above its share, one 5% below: nothing at threshold 6, a plan at threshold 4
        ClusterTopology topology = ClusterTopology.of(List.of(
                Topologies.primary("a", 7000, "0-5733"),
                Topologies.primary("b", 7001, "5734-10922"),
                Topologies.primary("c", 7002, "10923-16383")));
        assertThat(planner.plan(topology, RebalanceOptions.defaults().withThreshold(6)).isEmpty()).isTrue();
        Plan plan = planner.plan(topology, RebalanceOptions.defaults().withThreshold(4));
        assertThat(plan.moves()).hasSize(273);
        assertThat(Topologies.after(topology, plan).slotCount(Topologies.id("b"))).isEqualTo(5462);
    }

    @Test
    void thresholdZeroNeverRebalances() {
        // redis-cli only checks the threshold when it is above 0, so 0 means "never over the threshold"
        Plan plan = planner.plan(Topologies.plusEmpty(evenPrimaries(3), "new", 7100),
                RebalanceOptions.defaults().withUseEmptyPrimaries(true).withThreshold(0));
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void alreadyBalancedClusterNeedsNothing() {
        for (int primaries = 1; primaries <= 12; primaries++) {
            Plan plan = planner.plan(evenPrimaries(primaries), RebalanceOptions.defaults());
            assertThat(plan.moves()).as("primaries=%d", primaries).isEmpty();
        }
    }

    @Test
    void singlePrimaryHasNothingToBalance() {
        Plan plan = planner.plan(evenPrimaries(1), RebalanceOptions.defaults());
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.before()).extracting(PrimaryFigures::slots).containsExactly(16384);
    }

    @Test
    void singlePrimaryPlusEmptyOneSplitsInHalf() {
        Plan plan = planner.plan(Topologies.plusEmpty(evenPrimaries(1), "new", 7100),
                RebalanceOptions.defaults().withUseEmptyPrimaries(true));
        assertThat(plan.moves()).hasSize(8192);
        assertThat(plan.moves()).allSatisfy(m -> assertThat(m.slot()).isLessThan(8192));
    }

    @Test
    void weightZeroDrainsAPrimary() {
        ClusterTopology topology = evenPrimaries(4);
        Plan plan = planner.plan(topology, RebalanceOptions.defaults().withWeights(Map.of(Topologies.id("p2"), 0.0)));
        SlotMap after = Topologies.after(topology, plan);
        assertThat(after.slotCount(Topologies.id("p2"))).isZero();
        assertThat(plan.moves()).allSatisfy(m -> assertThat(m.sourceId()).isEqualTo(Topologies.id("p2")));
        List<Integer> counts = new ArrayList<>();
        for (String name : List.of("p0", "p1", "p3")) {
            counts.add(after.slotCount(Topologies.id(name)));
        }
        assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(5461, 5462));
    }

    @Test
    void allWeightsZeroIsRejected() {
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), RebalanceOptions.defaults().withWeights(
                Map.of(Topologies.id("p0"), 0.0, Topologies.id("p1"), 0.0, Topologies.id("p2"), 0.0))))
                .isInstanceOf(PlanRejectedException.class).hasMessageContaining("total weight");
    }

    @Test
    void unknownWeightNodeIsRejectedWithRedisCliText() {
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), RebalanceOptions.defaults().withWeights(
                Map.of("ffff", 2.0)))).hasMessage("*** No such master node ffff");
    }

    @Test
    void openSlotsRefuseToRebalance() {
        ClusterTopology topology = evenPrimaries(3);
        ClusterNode p0 = topology.primaries().get(0);
        ClusterNode migrating = new ClusterNode(p0.id(), p0.host(), p0.port(), p0.busPort(), p0.role(), null, Set.of(),
                true, p0.slots(), Map.of(7, Topologies.id("p1")), Map.of(), 1, 0, Map.of());
        assertThatThrownBy(() -> planner.plan(topology.withNode(migrating), RebalanceOptions.defaults()))
                .isInstanceOf(PlanRejectedException.class)
                .hasMessage("[WARNING] Node 127.0.0.1:7000 has slots in migrating state 7.\n"
                        + "*** Please fix your cluster problems before rebalancing");
    }

    @Test
    void uncoveredSlotsRefuseToRebalance() {
        ClusterTopology topology = ClusterTopology.of(List.of(Topologies.primary("a", 7000, "0-100"),
                Topologies.primary("b", 7001, "101-16000")));
        assertThatThrownBy(() -> planner.plan(topology, RebalanceOptions.defaults()))
                .hasMessageContaining("[ERR] Not all 16384 slots are covered by nodes.");
    }

    @Test
    void movesCarryTheSnapshotsKeyAndByteFigures() {
        ClusterTopology base = Topologies.plusEmpty(evenPrimaries(3), "new", 7100);
        ClusterTopology topology = new ClusterTopology(base.nodes(), SlotLoads.full(Map.of(
                0, new SlotLoad(0, 10, 1000, 5, 1, 2),
                1, new SlotLoad(1, 20, 2000, 5, 1, 2))));
        Plan plan = planner.plan(topology, RebalanceOptions.defaults().withUseEmptyPrimaries(true));
        assertThat(plan.moves()).contains(new SlotMove(0, Topologies.id("p0"), Topologies.id("new"), 10, 1000));
        assertThat(plan.totalKeys()).isEqualTo(30);
        assertThat(plan.totalBytes()).isEqualTo(3000);
        assertThat(plan.estimatedDuration(new Throttle(10, 0))).hasSeconds(3);
        assertThat(plan.estimatedDuration(new Throttle(10, 100))).hasSeconds(30);
    }

    @Test
    void replicasAreNeverInvolved() {
        List<ClusterNode> nodes = new ArrayList<>(evenPrimaries(3).nodes());
        nodes.add(ClusterNode.replica(Topologies.id("r0"), "127.0.0.1", 7200, Topologies.id("p0")));
        Plan plan = planner.plan(ClusterTopology.of(nodes), RebalanceOptions.defaults().withUseEmptyPrimaries(true));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.before()).hasSize(3);
    }
}
