package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.id;
import static io.rookery.admin.plan.Topologies.ranges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contracts of the snapshot and plan types themselves. */
class ModelTest {

    @Test
    void slotRangesCompressSortAndMerge() {
        assertThat(SlotRange.compress(List.of(5, 3, 4, 10, 16383, 9, 3))).containsExactly(
                new SlotRange(3, 5), new SlotRange(9, 10), SlotRange.of(16383));
        assertThat(SlotRange.compress(List.of())).isEmpty();
        assertThat(new SlotRange(0, 16383).size()).isEqualTo(16384);
        assertThat(new SlotRange(7, 9).toString()).isEqualTo("7-9");
        assertThat(SlotRange.of(7).toString()).isEqualTo("7");
        assertThatThrownBy(() -> new SlotRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotRange(0, 16384)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotRange(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topologyFindsUncoveredAndOpenSlots() {
        ClusterNode a = new ClusterNode(id("a"), "h", 7000, 17000, NodeRole.PRIMARY, null, Set.of(), true,
                ranges("0-8000"), Map.of(7, id("b")), null, 1, 0, null);
        ClusterNode b = new ClusterNode(id("b"), "h", 7001, 17001, NodeRole.PRIMARY, null, Set.of(), true,
                ranges("8002-16383"), null, Map.of(7, id("a"), 9000, id("a")), 2, 0, null);
        ClusterNode r = ClusterNode.replica(id("r"), "h", 7002, id("a"));
        ClusterTopology topology = ClusterTopology.of(List.of(a, b, r));
        assertThat(topology.uncoveredSlots()).containsExactly(8001);
        assertThat(topology.openSlots()).containsExactly(7, 9000);
        assertThat(topology.primaries()).containsExactly(a, b);
        assertThat(topology.replicasOf(id("a"))).containsExactly(r);
        assertThat(topology.slotOwners()[8001]).isNull();
        assertThat(topology.slotOwners()[8002]).isEqualTo(id("b"));
        assertThat(ClusterCheck.problems(topology)).containsExactly(
                "[WARNING] Node h:7000 has slots in migrating state 7.",
                "[WARNING] Node h:7001 has slots in importing state 7,9000.",
                "[ERR] Not all 16384 slots are covered by nodes.");
        assertThatThrownBy(() -> ClusterTopology.of(List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> topology.requireNode("x")).hasMessage("[ERR] No such node ID x");
    }

    @Test
    void nodeHealthFollowsItsFlags() {
        ClusterNode healthy = ClusterNode.primary(id("a"), "h", 1, List.of());
        assertThat(healthy.healthy()).isTrue();
        for (NodeFlag flag : List.of(NodeFlag.FAIL, NodeFlag.PFAIL, NodeFlag.HANDSHAKE, NodeFlag.NOADDR)) {
            ClusterNode node = new ClusterNode(id("a"), "h", 1, 10001, NodeRole.PRIMARY, null, Set.of(flag), true,
                    null, null, null, 0, 0, null);
            assertThat(node.healthy()).as(flag.name()).isFalse();
        }
        ClusterNode myself = new ClusterNode(id("a"), "h", 1, 10001, NodeRole.PRIMARY, null,
                Set.of(NodeFlag.MYSELF, NodeFlag.NOFAILOVER), true, null, null, null, 0, 0, null);
        assertThat(myself.healthy()).isTrue();
        assertThatThrownBy(() -> new ClusterNode(id("a"), "h", 1, 10001, NodeRole.PRIMARY, id("b"), null, true, null,
                null, null, 0, 0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadsDeriveNetworkBytesAndDefaultToZero() {
        SlotLoads loads = new SlotLoads(Set.of(LoadMetric.NETWORK_BYTES_IN, LoadMetric.NETWORK_BYTES_OUT),
                Map.of(3, new SlotLoad(3, 0, 0, 0, 10, 32)));
        assertThat(loads.isMeasured(LoadMetric.NETWORK_BYTES)).isTrue();
        assertThat(loads.value(3, LoadMetric.NETWORK_BYTES)).isEqualTo(42);
        assertThat(loads.value(4, LoadMetric.NETWORK_BYTES)).isZero();
        assertThat(SlotLoads.none().isMeasured(LoadMetric.KEYS)).isFalse();
        assertThat(SlotLoads.keysOnly(Map.of(1, 9L)).value(1, LoadMetric.KEYS)).isEqualTo(9);
    }

    @Test
    void estimatedDurationIsTheSlowerOfKeysAndBytesRoundedUpToTheMillisecond() {
        Plan plan = Plan.ofMoves(PlanKind.RESHARD, "test", null, List.of(
                new SlotMove(1, id("a"), id("b"), 1000, 3_000_000),
                new SlotMove(2, id("a"), id("b"), 1, 1)), List.of(), List.of(), List.of());
        assertThat(plan.totalKeys()).isEqualTo(1001);
        assertThat(plan.totalBytes()).isEqualTo(3_000_001);
        assertThat(plan.estimatedDuration(new Throttle(1000, 0))).isEqualTo(Duration.ofMillis(1001));
        assertThat(plan.estimatedDuration(new Throttle(1000, 1_000_000))).isEqualTo(Duration.ofMillis(3001));
        assertThat(plan.estimatedDuration(Throttle.unlimited())).isEqualTo(Duration.ZERO);
        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.movedSlots()).containsExactlyInAnyOrder(1, 2);
        assertThatThrownBy(() -> new Throttle(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotMove(1, id("a"), id("a"), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void slotMapRefusesAMoveFromANonOwner() {
        SlotMap map = new SlotMap(Topologies.evenPrimaries(3));
        assertThatThrownBy(() -> map.apply(new SlotMove(0, id("p1"), id("p2"), 0, 0)))
                .isInstanceOf(IllegalStateException.class);
        map.apply(new SlotMove(0, id("p0"), id("p2"), 0, 0));
        assertThat(map.owner(0)).isEqualTo(id("p2"));
        assertThat(map.rangesOf(id("p2"))).containsExactly(SlotRange.of(0), new SlotRange(10923, 16383));
    }

    @Test
    void imbalanceIsMaxOverMean() {
        List<PrimaryFigures> figures = List.of(new PrimaryFigures("a", "h:1", 10, 0, 0, 30),
                new PrimaryFigures("b", "h:2", 30, 0, 0, 10));
        assertThat(Imbalance.ofSlots(figures)).isEqualTo(1.5);
        assertThat(Imbalance.ofLoad(figures)).isEqualTo(1.5);
        assertThat(Imbalance.ofLoad(List.of())).isZero();
        assertThat(Imbalance.ofLoad(List.of(new PrimaryFigures("a", "h:1", 0, 0, 0, 0)))).isZero();
    }
}
