package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static io.rookery.admin.plan.Topologies.ranges;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every planner's "after" figures agree with the ownership its steps lead to. */
class ExpectedOwnersTest {

    private static void assertAfterMatchesSteps(ClusterTopology before, Plan plan) {
        String[] owners = plan.expectedOwners(before);
        Map<String, Integer> counts = new HashMap<>();
        for (String owner : owners) {
            if (owner != null) {
                counts.merge(owner, 1, Integer::sum);
            }
        }
        for (PrimaryFigures figures : plan.after()) {
            assertThat(counts.getOrDefault(figures.nodeId(), 0)).as(figures.endpoint()).isEqualTo(figures.slots());
        }
    }

    @Test
    void createCoversEverySlot() {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(Topologies.empty("n" + i, "h" + i % 3, 7000 + i));
        }
        Plan plan = new CreatePlanner().plan(nodes, 1);
        ClusterTopology before = ClusterTopology.of(nodes);
        assertAfterMatchesSteps(before, plan);
        assertThat(plan.expectedOwners(before)).doesNotContainNull();
    }

    @Test
    void rebalanceReshardDrainAndLoadRebalance() {
        ClusterTopology four = Topologies.plusEmpty(evenPrimaries(3), "new", 7100);
        assertAfterMatchesSteps(four,
                new RebalancePlanner().plan(four, RebalanceOptions.defaults().withUseEmptyPrimaries(true)));
        assertAfterMatchesSteps(four, new ReshardPlanner().plan(four, id("new"), null, 1234));
        assertAfterMatchesSteps(four, new ReshardPlanner().planRanges(four, id("p1"), ranges("0-99", "16000")));
        ClusterTopology even = evenPrimaries(5);
        assertAfterMatchesSteps(even, new DrainPlanner().plan(even, id("p2"), null));
        Map<Integer, SlotLoad> loads = new HashMap<>();
        for (int slot = 0; slot < 2000; slot++) {
            loads.put(slot, new SlotLoad(slot, slot % 13, 0, slot % 7, 0, 0));
        }
        ClusterTopology loaded = new ClusterTopology(four.nodes(), SlotLoads.full(loads));
        assertAfterMatchesSteps(loaded, new LoadRebalancePlanner().plan(loaded,
                LoadRebalanceOptions.of(LoadMetric.CPU_USEC)));
    }

    @Test
    void fixLeavesEverySlotCoveredOnce() {
        ClusterTopology broken = ClusterTopology.of(List.of(
                new ClusterNode(id("a"), "127.0.0.1", 7000, 17000, NodeRole.PRIMARY, null, Set.of(), true,
                        ranges("0-5000"), Map.of(5, id("b")), null, 1, 0, Map.of(5, 3L, 5001, 2L)),
                new ClusterNode(id("b"), "127.0.0.1", 7001, 17001, NodeRole.PRIMARY, null, Set.of(), true,
                        ranges("5100-10922"), null, Map.of(5, id("a")), 2, 0, Map.of(5, 2L, 5001, 4L)),
                new ClusterNode(id("c"), "127.0.0.1", 7002, 17002, NodeRole.PRIMARY, null, Set.of(), true,
                        ranges("10923-16383"), null, null, 3, 0, Map.of(5050, 1L))));
        Plan plan = new FixPlanner().plan(broken, false);
        assertAfterMatchesSteps(broken, plan);
        String[] owners = plan.expectedOwners(broken);
        assertThat(owners).doesNotContainNull();
        assertThat(owners[5]).isEqualTo(id("a"));
        assertThat(owners[5001]).isEqualTo(id("b"));
        assertThat(owners[5050]).isEqualTo(id("c"));
    }
}
