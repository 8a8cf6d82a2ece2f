package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The plan and the snapshot are the service's dry-run and storage format: they survive JSON as they are. */
class PlanJsonTest {
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aRebalancePlanRoundTrips() {
        ClusterTopology base = Topologies.plusEmpty(evenPrimaries(3), "new", 7100);
        ClusterTopology topology = new ClusterTopology(base.nodes(), SlotLoads.full(Map.of(
                0, new SlotLoad(0, 10, 1000, 5, 1, 2))));
        Plan plan = new RebalancePlanner().plan(topology, RebalanceOptions.defaults().withUseEmptyPrimaries(true));
        String text = json.writeValueAsString(plan);
        assertThat(text).contains("\"kind\":\"REBALANCE\"").contains("\"moves\":[{\"slot\":5461,");
        assertThat(json.readValue(text, Plan.class)).isEqualTo(plan);
    }

    @Test
    void aCreatePlanAndAFixPlanRoundTrip() {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(Topologies.empty("n" + i, "h" + (i % 3), 7000 + i));
        }
        Plan create = new CreatePlanner().plan(nodes, 1);
        assertThat(json.readValue(json.writeValueAsString(create), Plan.class)).isEqualTo(create);
        ClusterTopology open = ClusterTopology.of(List.of(
                new ClusterNode(Topologies.id("a"), "127.0.0.1", 7000, 17000, NodeRole.PRIMARY, null, Set.of(), true,
                        Topologies.ranges("0-8191"), Map.of(5, Topologies.id("b")), null, 1, 0, Map.of(5, 1L)),
                new ClusterNode(Topologies.id("b"), "127.0.0.1", 7001, 17001, NodeRole.PRIMARY, null, Set.of(), true,
                        Topologies.ranges("8192-16383"), null, Map.of(5, Topologies.id("a")), 2, 0, null)));
        Plan fix = new FixPlanner().plan(open, false);
        assertThat(json.readValue(json.writeValueAsString(fix), Plan.class)).isEqualTo(fix);
    }

    @Test
    void aSnapshotRoundTrips() {
        List<ClusterNode> nodes = new ArrayList<>(evenPrimaries(3).nodes());
        nodes.add(new ClusterNode(Topologies.id("r"), "10.0.0.2", 7200, 17200, NodeRole.REPLICA, Topologies.id("p0"),
                Set.of(NodeFlag.PFAIL, NodeFlag.NOFAILOVER), false, List.of(), null, null, 3, 12345, null));
        ClusterTopology topology = new ClusterTopology(nodes, SlotLoads.keysOnly(Map.of(1, 5L, 2, 7L)));
        String text = json.writeValueAsString(topology);
        assertThat(json.readValue(text, ClusterTopology.class)).isEqualTo(topology);
    }
}
