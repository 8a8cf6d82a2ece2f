package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {
    private final DrainPlanner planner = new DrainPlanner();

    @Test
    void spreadsTheDrainedSlotsEvenlyInContiguousRuns() {
        ClusterTopology topology = evenPrimaries(4);
        Plan plan = planner.plan(topology, id("p3"), null);
        SlotMap after = Topologies.after(topology, plan);
        assertThat(after.slotCount(id("p3"))).isZero();
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(5462, 5461, 5461);
        assertThat(plan.moves()).hasSize(4096).allSatisfy(m -> assertThat(m.sourceId()).isEqualTo(id("p3")));
        // p0 takes 12288-13653, p1 13654-15018, p2 15019-16383
        assertThat(after.rangesOf(id("p0"))).containsExactly(new SlotRange(0, 4095), new SlotRange(12288, 13653));
        assertThat(after.rangesOf(id("p2"))).containsExactly(new SlotRange(8192, 12287),
                new SlotRange(15019, 16383));
        assertThat(plan.forget()).containsExactly(id("p3"));
        assertThat(plan.kind()).isEqualTo(PlanKind.DRAIN);
    }

    @Test
    void fillsTheLeastLoadedReceiversFirst() {
        ClusterTopology topology = ClusterTopology.of(List.of(
                Topologies.primary("big", 7000, "0-9999"),
                Topologies.primary("small", 7001, "10000-10999"),
                Topologies.primary("gone", 7002, "11000-16383")));
        Plan plan = planner.plan(topology, id("gone"), null);
        // 16384 over 2: 8192 each; big already has 10000, so small takes all 5384 and stays under
        assertThat(plan.moves()).allSatisfy(m -> assertThat(m.targetId()).isEqualTo(id("small")));
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(10000, 6384);
    }

    @Test
    void weightsSteerTheSlotsAndZeroReceivesNothing() {
        ClusterTopology topology = evenPrimaries(4);
        Plan plan = planner.plan(topology, id("p0"), Map.of(id("p1"), 0.0, id("p2"), 3.0));
        SlotMap after = Topologies.after(topology, plan);
        assertThat(after.slotCount(id("p1"))).isEqualTo(4096);
        // p2 and p3 share 12288 slots 3:1 as far as the 4096 drained slots allow: p2 takes all of them
        assertThat(after.slotCount(id("p2"))).isEqualTo(8192);
        assertThat(after.slotCount(id("p3"))).isEqualTo(4096);
    }

    @Test
    void replicasOfTheDrainedPrimaryMoveToThePrimariesWithFewestReplicas() {
        List<ClusterNode> nodes = new ArrayList<>(evenPrimaries(3).nodes());
        nodes.add(ClusterNode.replica(id("r1"), "127.0.0.1", 7101, id("p1")));
        nodes.add(ClusterNode.replica(id("g1"), "127.0.0.1", 7102, id("p0")));
        nodes.add(ClusterNode.replica(id("g2"), "127.0.0.1", 7103, id("p0")));
        Plan plan = planner.plan(ClusterTopology.of(nodes), id("p0"), null);
        assertThat(plan.replicaAssignments()).containsExactly(new ReplicaAssignment(id("g1"), id("p2")),
                new ReplicaAssignment(id("g2"), id("p1")));
    }

    @Test
    void aReplicaIsOnlyForgotten() {
        List<ClusterNode> nodes = new ArrayList<>(evenPrimaries(3).nodes());
        nodes.add(ClusterNode.replica(id("r1"), "127.0.0.1", 7101, id("p1")));
        Plan plan = planner.plan(ClusterTopology.of(nodes), id("r1"), null);
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.forget()).containsExactly(id("r1"));
        assertThat(plan.after()).isEqualTo(plan.before());
    }

    @Test
    void anEmptyPrimaryIsOnlyForgotten() {
        Plan plan = planner.plan(Topologies.plusEmpty(evenPrimaries(3), "e", 7100), id("e"), null);
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.forget()).containsExactly(id("e"));
        assertThat(plan.after()).hasSize(3);
    }

    @Test
    void theOnlyPrimaryCannotBeDrained() {
        assertThatThrownBy(() -> planner.plan(evenPrimaries(1), id("p0"), null))
                .isInstanceOf(PlanRejectedException.class)
                .hasMessage("*** No primary with a weight above 0 is left to take the 16384 slots of 127.0.0.1:7000");
    }

    @Test
    void allReceiversWeightZeroIsRejected() {
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), id("p0"), Map.of(id("p1"), 0.0, id("p2"), 0.0)))
                .isInstanceOf(PlanRejectedException.class);
    }

    @Test
    void unhealthyPrimariesReceiveNothingButRefuseTheDrain() {
        ClusterTopology topology = evenPrimaries(3);
        ClusterNode p1 = topology.primaries().get(1);
        ClusterNode failing = new ClusterNode(p1.id(), p1.host(), p1.port(), p1.busPort(), p1.role(), null,
                Set.of(NodeFlag.FAIL), false, p1.slots(), null, null, 2, 0, null);
        assertThatThrownBy(() -> planner.plan(topology.withNode(failing), id("p0"), null))
                .hasMessageContaining("Please fix your cluster problems before draining");
    }

    @Test
    void unknownNodesAreRejected() {
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), "nope", null)).hasMessage("[ERR] No such node ID nope");
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), id("p0"), Map.of("nope", 1.0)))
                .hasMessage("*** No such master node nope");
    }
}
