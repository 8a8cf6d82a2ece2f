package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddNodePlannerTest {
    private final AddNodePlanner planner = new AddNodePlanner();
    private final ClusterNode newNode = Topologies.empty("new", "10.0.0.9", 7100);

    /** p0..p2 on hosts h0..h2; p0 has two replicas, p1 one, p2 none unless told. */
    private static ClusterTopology withReplicas(boolean p2HasOne) {
        List<ClusterNode> nodes = new ArrayList<>();
        List<List<SlotRange>> split = CreatePlanner.split(3);
        for (int i = 0; i < 3; i++) {
            nodes.add(ClusterNode.primary(id("p" + i), "h" + i, 7000, split.get(i)));
        }
        nodes.add(ClusterNode.replica(id("r0a"), "h1", 7001, id("p0")));
        nodes.add(ClusterNode.replica(id("r0b"), "h2", 7001, id("p0")));
        nodes.add(ClusterNode.replica(id("r1"), "h2", 7002, id("p1")));
        if (p2HasOne) {
            nodes.add(ClusterNode.replica(id("r2"), "h0", 7001, id("p2")));
        }
        return ClusterTopology.of(nodes);
    }

    @Test
    void asPrimaryMeetsTheSeedAndOwnsNothing() {
        ClusterTopology topology = evenPrimaries(3);
        Plan plan = planner.asPrimary(topology, newNode);
        assertThat(plan.kind()).isEqualTo(PlanKind.ADD_NODE);
        assertThat(plan.meets()).containsExactly(new NodeMeet(newNode.id(), "127.0.0.1", 7000, 17000));
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.replicaAssignments()).isEmpty();
        assertThat(plan.after()).hasSize(4).last().isEqualTo(new PrimaryFigures(newNode.id(), "10.0.0.9:7100", 0, 0,
                0, 0));
    }

    @Test
    void meetsTheFirstHealthyNode() {
        ClusterTopology topology = evenPrimaries(3);
        ClusterNode p0 = topology.primaries().get(0);
        ClusterNode failing = new ClusterNode(p0.id(), p0.host(), p0.port(), p0.busPort(), p0.role(), null,
                Set.of(NodeFlag.PFAIL), false, p0.slots(), null, null, 1, 0, null);
        Plan plan = planner.asPrimary(topology.withNode(failing), newNode);
        assertThat(plan.meets()).extracting(NodeMeet::port).containsExactly(7001);
    }

    @Test
    void asReplicaOfAGivenPrimary() {
        Plan plan = planner.asReplica(withReplicas(false), newNode, id("p0"));
        assertThat(plan.replicaAssignments()).containsExactly(new ReplicaAssignment(newNode.id(), id("p0")));
        assertThat(plan.meets()).hasSize(1);
        assertThat(plan.objective()).contains("the requested primary");
    }

    @Test
    void asReplicaOfThePrimaryWithFewestReplicas() {
        Plan plan = planner.asReplica(withReplicas(false), newNode, null);
        assertThat(plan.replicaAssignments()).containsExactly(new ReplicaAssignment(newNode.id(), id("p2")));
        assertThat(plan.objective()).contains("fewest replicas (0)");
    }

    @Test
    void amongEquallyFewReplicasTheFirstWins() {
        // p1 and p2 each have one replica: p1 comes first
        Plan plan = planner.asReplica(withReplicas(true), newNode, null);
        assertThat(plan.replicaAssignments()).extracting(ReplicaAssignment::primaryId).containsExactly(id("p1"));
    }

    @Test
    void amongEquallyFewReplicasAnotherHostWins() {
        // the new node runs on h1, p1's host: p2 (also one replica) is preferred
        ClusterNode onH1 = Topologies.empty("new", "h1", 7100);
        Plan plan = planner.asReplica(withReplicas(true), onH1, null);
        assertThat(plan.replicaAssignments()).extracting(ReplicaAssignment::primaryId).containsExactly(id("p2"));
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void emptyPrimariesAreNotChosenWhenOthersOwnSlots() {
        ClusterTopology topology = Topologies.plusEmpty(withReplicas(true), "empty", 7300);
        Plan plan = planner.asReplica(topology, newNode, null);
        assertThat(plan.replicaAssignments()).extracting(ReplicaAssignment::primaryId).doesNotContain(id("empty"));
    }

    @Test
    void warnsWhenTheRequestedPrimaryIsOnTheSameHost() {
        ClusterNode onH0 = Topologies.empty("new", "h0", 7100);
        Plan plan = planner.asReplica(withReplicas(false), onH0, id("p0"));
        assertThat(plan.notes()).containsExactly("[WARNING] The replica is on the same host as its primary h0:7000");
    }

    @Test
    void rejectsAReplicaAsPrimaryAndUnknownIds() {
        assertThatThrownBy(() -> planner.asReplica(withReplicas(false), newNode, id("r1")))
                .isInstanceOf(PlanRejectedException.class).hasMessage("[ERR] No such master ID " + id("r1"));
        assertThatThrownBy(() -> planner.asReplica(withReplicas(false), newNode, "nope"))
                .hasMessage("[ERR] No such master ID nope");
    }

    @Test
    void rejectsANodeThatIsNotEmptyOrAlreadyMember() {
        ClusterNode withSlots = ClusterNode.primary(id("x"), "127.0.0.1", 7100, Topologies.ranges("1"));
        assertThatThrownBy(() -> planner.asPrimary(evenPrimaries(3), withSlots))
                .hasMessage("[ERR] Node 127.0.0.1:7100 is not empty. Either the node already knows other nodes"
                        + " (check with CLUSTER NODES) or contains some key in database 0.");
        ClusterTopology topology = evenPrimaries(3);
        assertThatThrownBy(() -> planner.asPrimary(topology, ClusterNode.primary(id("p1"), "127.0.0.1", 7001,
                List.of()))).isInstanceOf(PlanRejectedException.class);
    }
}
