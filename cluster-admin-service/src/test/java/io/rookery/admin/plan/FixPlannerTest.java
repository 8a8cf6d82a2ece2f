package io.rookery.admin.plan;

import static io.rookery.admin.plan.Topologies.evenPrimaries;
import static io.rookery.admin.plan.Topologies.id;
import static io.rookery.admin.plan.Topologies.ranges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FixPlannerTest {
    private final FixPlanner planner = new FixPlanner();

    private static final String A = id("a");
    private static final String B = id("b");
    private static final String C = id("c");

    /** A primary named {@code name} on port {@code port} with its own view of slots, open slots and key counts. */
    private static ClusterNode node(String name, int port, List<SlotRange> slots, Map<Integer, String> migrating,
            Map<Integer, String> importing, Map<Integer, Long> keys) {
        return new ClusterNode(id(name), "127.0.0.1", port, port + 10000, NodeRole.PRIMARY, null, Set.of(), true,
                slots, migrating, importing, 1, 0, keys);
    }

    private static ClusterTopology cluster(ClusterNode a, ClusterNode b, ClusterNode c) {
        return ClusterTopology.of(List.of(a, b, c));
    }

    private static List<String> steps(Plan plan) {
        return plan.fixes().stream().map(f -> f.slot() + " " + f.action() + " " + f.nodeId().charAt(0)
                + (f.peerId() == null ? "" : " " + f.peerId().charAt(0))).toList();
    }

    @Test
    void aSaneClusterNeedsNothing() {
        Plan plan = planner.plan(evenPrimaries(3), false);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.after()).isEqualTo(plan.before());
    }

    @Test
    void interruptedMoveWithKeysOnlyAtTheSourceIsFinished() {
        // a reshard stopped after IMPORTING/MIGRATING: a still owns slot 5 and all its keys -> case 1
        // (reproduced on redis-server 7.0.15: redis-cli --cluster fix printed "Case 1: Moving slot ... from a to b")
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(5, B), null, Map.of(5, 3L)),
                node("b", 7001, ranges("5461-10922"), null, Map.of(5, A), Map.of(5, 0L)),
                node("c", 7002, ranges("10923-16383"), null, null, null));
        Plan plan = planner.plan(topology, false);
        assertThat(steps(plan)).containsExactly("5 MOVE_SLOT a b");
        assertThat(plan.fixes().get(0).reason()).contains("case 1");
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(5460, 5463, 5461);
        assertThat(plan.kind()).isEqualTo(PlanKind.FIX);
    }

    @Test
    void interruptedMoveWithKeysOnBothSidesGoesBackToTheNodeWithMostKeys() {
        // a owns slot 5 with 3 keys, b received 2 of them: two "owners", a has most keys and keeps the slot
        // (reproduced on redis-server 7.0.15: "No single clear owner ... Configuring a as the slot owner",
        // "Case 2: Moving all the slot keys to its owner a", "Setting 5 as STABLE in b")
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(5, B), null, Map.of(5, 3L)),
                node("b", 7001, ranges("5461-10922"), null, Map.of(5, A), Map.of(5, 2L)),
                node("c", 7002, ranges("10923-16383"), null, null, null));
        Plan plan = planner.plan(topology, false);
        assertThat(steps(plan)).containsExactly(
                "5 SETSLOT_STABLE a", "5 ASSIGN a",
                "5 DELSLOTS b", "5 SETSLOT_NODE b a", "5 SETSLOT_IMPORTING b a",
                "5 MOVE_KEYS b a", "5 SETSLOT_STABLE b",
                "5 SETSLOT_NODE b a", "5 SETSLOT_NODE c a");
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(5461, 5462, 5461);
    }

    @Test
    void importingOnlyMovesKeysToTheOwnerAndClosesIt() {
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), null, null, Map.of(9, 4L)),
                node("b", 7001, ranges("5461-10922"), null, Map.of(9, A), Map.of(9, 0L)),
                node("c", 7002, ranges("10923-16383"), null, null, null));
        assertThat(steps(planner.plan(topology, false))).containsExactly(
                "9 MOVE_KEYS b a", "9 SETSLOT_STABLE b", "9 SETSLOT_NODE b a", "9 SETSLOT_NODE c a");
    }

    @Test
    void migratingWithoutImportingAndNoKeysIsClosed() {
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(7, C), null, Map.of(7, 0L)),
                node("b", 7001, ranges("5461-10922"), null, null, null),
                node("c", 7002, ranges("10923-16383"), null, null, null));
        Plan plan = planner.plan(topology, false);
        assertThat(steps(plan)).containsExactly("7 SETSLOT_STABLE a");
        assertThat(plan.fixes().get(0).reason()).contains("case 4");
    }

    @Test
    void oneMigratingSeveralImportingMovesToTheNamedTarget() {
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(7, C), null, null),
                node("b", 7001, ranges("5461-10922"), null, Map.of(7, A), null),
                node("c", 7002, ranges("10923-16383"), null, Map.of(7, A), null));
        assertThat(steps(planner.plan(topology, false))).containsExactly("7 MOVE_SLOT a c", "7 SETSLOT_STABLE b");
    }

    @Test
    void oneMigratingSeveralImportingNoneNamedClosesAll() {
        String elsewhere = id("zzz");
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(7, elsewhere), null, null),
                node("b", 7001, ranges("5461-10922"), null, Map.of(7, A), null),
                node("c", 7002, ranges("10923-16383"), null, Map.of(7, A), null));
        assertThat(steps(planner.plan(topology, false))).containsExactly(
                "7 SETSLOT_STABLE a", "7 SETSLOT_STABLE b", "7 SETSLOT_STABLE c");
    }

    @Test
    void whatRedisCliCannotFixIsNotedAndLeftAlone() {
        // two nodes migrating a slot that b owns: not one of redis-cli's cases
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(6000, C), null, null),
                node("b", 7001, ranges("5461-10922"), null, null, null),
                node("c", 7002, ranges("10923-16383"), Map.of(6000, A), null, null));
        Plan plan = planner.plan(topology, false);
        assertThat(plan.fixes()).isEmpty();
        assertThat(plan.notes()).containsExactly("[ERR] Sorry, redis-cli can't fix this slot yet (work in progress)."
                + " Slot 6000 is set as migrating in 127.0.0.1:7000,127.0.0.1:7002, as importing in ,"
                + " owner is 127.0.0.1:7001");
    }

    @Test
    void uncoveredSlotsGoToTheKeyHoldersOrTheLeastLoadedPrimary() {
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-99", "103-5460"), null, null, Map.of(102, 1L)),
                node("b", 7001, ranges("5461-10000"), null, null, Map.of(101, 2L, 102, 5L)),
                node("c", 7002, ranges("10923-16383"), null, null, null));
        Plan plan = planner.plan(topology, false);
        List<String> steps = steps(plan);
        // keyless: slot 100 then the 922 slots 10001-10922 go to the primary owning fewest slots at each point
        assertThat(steps.get(0)).isEqualTo("100 ASSIGN b");
        assertThat(steps).contains("101 ASSIGN b");
        assertThat(steps.subList(steps.size() - 5, steps.size())).containsExactly(
                "102 ASSIGN_AND_STABILIZE b",
                "102 SETSLOT_NODE a b", "102 SETSLOT_IMPORTING a b", "102 MOVE_KEYS a b", "102 SETSLOT_STABLE a");
        assertThat(plan.after()).extracting(PrimaryFigures::slots).containsExactly(5461, 5462, 5461);
    }

    @Test
    void unreachablePrimariesRefuseTheFixUnlessAllowed() {
        ClusterNode failing = new ClusterNode(C, "127.0.0.1", 7002, 17002, NodeRole.PRIMARY, null,
                Set.of(NodeFlag.FAIL), false, ranges("10923-16383"), null, null, 1, 0, null);
        ClusterTopology topology = cluster(
                node("a", 7000, ranges("0-5460"), Map.of(7, B), null, null),
                node("b", 7001, ranges("5461-10922"), null, Map.of(7, A), null),
                failing);
        assertThatThrownBy(() -> planner.plan(topology, false)).isInstanceOf(PlanRejectedException.class)
                .hasMessageStartingWith("*** Fixing open slots with 1 unreachable masters is dangerous");
        assertThat(steps(planner.plan(topology, true))).containsExactly("7 MOVE_SLOT a b");
    }

    @Test
    void uncoveredSlotsWithUnreachablePrimariesAreRefusedUnlessAllowed() {
        ClusterNode failing = new ClusterNode(C, "127.0.0.1", 7002, 17002, NodeRole.PRIMARY, null,
                Set.of(NodeFlag.PFAIL), false, ranges("10923-16000"), null, null, 1, 0, null);
        ClusterTopology topology = cluster(node("a", 7000, ranges("0-5460"), null, null, null),
                node("b", 7001, ranges("5461-10922"), null, null, null), failing);
        assertThatThrownBy(() -> planner.plan(topology, false))
                .hasMessageStartingWith("*** Fixing slots coverage with 1 unreachable masters is dangerous");
        Plan plan = planner.plan(topology, true);
        assertThat(plan.fixes()).hasSize(383).allSatisfy(f -> assertThat(f.nodeId()).isNotEqualTo(C));
    }
}
