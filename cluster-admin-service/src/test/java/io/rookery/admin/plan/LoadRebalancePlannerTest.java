package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadRebalancePlannerTest {
    private final LoadRebalancePlanner planner = new LoadRebalancePlanner();

    /** Every slot has {@code base} usec of CPU, plus the given hot slots. */
    private static ClusterTopology withCpu(ClusterTopology topology, long base, Map<Integer, Long> hot) {
        Map<Integer, SlotLoad> loads = new HashMap<>();
        for (int slot = 0; slot < SlotRange.SLOTS; slot++) {
            long cpu = base + hot.getOrDefault(slot, 0L);
            loads.put(slot, new SlotLoad(slot, 10, 1000, cpu, 5, 5));
        }
        return new ClusterTopology(topology.nodes(), SlotLoads.full(loads));
    }

    private static long sum(List<PrimaryFigures> figures) {
        return figures.stream().mapToLong(PrimaryFigures::load).sum();
    }

    @Test
    void hotSlotsOfOnePrimarySpreadToTheOthers() {
        Map<Integer, Long> hot = new HashMap<>();
        for (int slot = 0; slot < 30; slot++) {
            hot.put(slot, 10_000L);
        }
        ClusterTopology topology = withCpu(evenPrimaries(3), 1, hot);
        Plan plan = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.CPU_USEC));
        assertThat(plan.kind()).isEqualTo(PlanKind.LOAD_REBALANCE);
        assertThat(plan.metric()).isEqualTo(LoadMetric.CPU_USEC);
        assertThat(plan.moves()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.sourceId()).isEqualTo(id("p0"));
            assertThat(m.slot()).isLessThan(30);
        });
        assertThat(Imbalance.ofLoad(plan.before())).isGreaterThan(1.9);
        assertThat(Imbalance.ofLoad(plan.after())).isLessThanOrEqualTo(1.05);
        assertThat(sum(plan.after())).isEqualTo(sum(plan.before()));
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith("CPU_USEC max/mean"));
        assertThat(plan.notes()).contains("Stopped: the most loaded primary is within the tolerance of the mean");
        // the moves carry the snapshot's key and byte figures
        assertThat(plan.moves().get(0).keys()).isEqualTo(10);
        assertThat(plan.moves().get(0).bytes()).isEqualTo(1000);
    }

    @Test
    void heaviestFittingSlotGoesFirstLowestSlotOnTies() {
        ClusterTopology topology = withCpu(evenPrimaries(3), 0, Map.of(1, 500L, 2, 900L, 3, 900L, 4, 100L));
        Plan plan = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.CPU_USEC).withTolerance(0));
        // p0 has 2400, others 0: slot 2 (900, lower than slot 3) to p1, then slot 3 to p2, then nothing fits
        assertThat(plan.moves()).extracting(SlotMove::slot, SlotMove::targetId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, id("p1")), org.assertj.core.groups.Tuple.tuple(3, id("p2")));
        assertThat(plan.after()).extracting(PrimaryFigures::load).containsExactly(600L, 900L, 900L);
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("a hot slot cannot be split"));
    }

    @Test
    void oneSlotHotterThanEverythingElseStaysPut() {
        ClusterTopology topology = withCpu(evenPrimaries(3), 0, Map.of(42, 1_000_000L));
        Plan plan = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.CPU_USEC));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.notes().get(1)).contains("127.0.0.1:7000").contains("cannot be split");
    }

    @Test
    void evenLoadNeedsNothing() {
        Plan plan = planner.plan(withCpu(evenPrimaries(4), 7, Map.of()),
                LoadRebalanceOptions.of(LoadMetric.CPU_USEC));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.after()).isEqualTo(plan.before());
    }

    @Test
    void capLimitsTheSlotsMoved() {
        Map<Integer, Long> hot = new HashMap<>();
        for (int slot = 0; slot < 100; slot++) {
            hot.put(slot, 1000L);
        }
        Plan plan = planner.plan(withCpu(evenPrimaries(3), 0, hot),
                LoadRebalanceOptions.of(LoadMetric.CPU_USEC).withMaxSlotsMoved(5));
        assertThat(plan.moves()).hasSize(5);
        assertThat(plan.notes()).contains("Stopped: the cap of 5 slots moved was reached");
    }

    @Test
    void emptyPrimariesTakeLoadOnlyWhenAllowed() {
        ClusterTopology topology = withCpu(Topologies.plusEmpty(evenPrimaries(3), "new", 7100), 10, Map.of());
        Plan with = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.CPU_USEC).withMaxSlotsMoved(16384));
        assertThat(with.moves()).isNotEmpty().allSatisfy(m -> assertThat(m.targetId()).isEqualTo(id("new")));
        assertThat(Imbalance.ofLoad(with.after())).isLessThanOrEqualTo(1.05);
        Plan without = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.CPU_USEC).withUseEmptyPrimaries(false));
        assertThat(without.isEmpty()).isTrue();
    }

    @Test
    void keyCountsAloneAreEnoughForTheKeysMetric() {
        Map<Integer, Long> keys = new HashMap<>();
        for (int slot = 0; slot < 5461; slot++) {
            keys.put(slot, 30L);
        }
        for (int slot = 5461; slot < SlotRange.SLOTS; slot++) {
            keys.put(slot, 10L);
        }
        ClusterTopology topology = new ClusterTopology(evenPrimaries(3).nodes(), SlotLoads.keysOnly(keys));
        Plan plan = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.KEYS).withMaxSlotsMoved(16384));
        assertThat(Imbalance.ofLoad(plan.after())).isLessThanOrEqualTo(1.05);
        assertThat(plan.totalKeys()).isEqualTo(plan.moves().size() * 30L);
        assertThat(plan.estimatedDuration(new Throttle(1000, 0)).toMillis())
                .isEqualTo((long) Math.ceil(plan.totalKeys() / 1000.0 * 1000));
    }

    @Test
    void unmeasuredMetricIsRejected() {
        ClusterTopology keysOnly = new ClusterTopology(evenPrimaries(3).nodes(), SlotLoads.keysOnly(Map.of(1, 1L)));
        assertThatThrownBy(() -> planner.plan(keysOnly, LoadRebalanceOptions.of(LoadMetric.CPU_USEC)))
                .isInstanceOf(PlanRejectedException.class).hasMessageContaining("no CPU_USEC figures");
        assertThatThrownBy(() -> planner.plan(evenPrimaries(3), LoadRebalanceOptions.of(LoadMetric.KEYS)))
                .hasMessageContaining("no KEYS figures");
    }

    @Test
    void networkBytesAddsBothDirections() {
        Map<Integer, SlotLoad> loads = new HashMap<>();
        loads.put(0, new SlotLoad(0, 0, 0, 0, 600, 400));
        loads.put(1, new SlotLoad(1, 0, 0, 0, 100, 100));
        ClusterTopology topology = new ClusterTopology(evenPrimaries(3).nodes(), SlotLoads.full(loads));
        Plan plan = planner.plan(topology, LoadRebalanceOptions.of(LoadMetric.NETWORK_BYTES).withTolerance(0));
        assertThat(plan.before()).extracting(PrimaryFigures::load).containsExactly(1200L, 0L, 0L);
        // slot 0 (1000) fits the 1200 gap; then the 1000 on p1 has no slot lighter than its gap left to move
        assertThat(plan.moves()).extracting(SlotMove::slot).containsExactly(0);
        assertThat(plan.after()).extracting(PrimaryFigures::load).containsExactly(200L, 1000L, 0L);
    }

    @Test
    void singlePrimaryHasNothingToDo() {
        Plan plan = planner.plan(withCpu(evenPrimaries(1), 1, Map.of(5, 100L)),
                LoadRebalanceOptions.of(LoadMetric.CPU_USEC));
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void isDeterministic() {
        Map<Integer, Long> hot = new HashMap<>();
        for (int slot = 0; slot < 16384; slot += 7) {
            hot.put(slot, (long) (slot * 31 % 97));
        }
        ClusterTopology topology = withCpu(evenPrimaries(5), 0, hot);
        LoadRebalanceOptions options = LoadRebalanceOptions.of(LoadMetric.CPU_USEC).withTolerance(0.01);
        assertThat(planner.plan(topology, options)).isEqualTo(planner.plan(topology, options));
    }
}
