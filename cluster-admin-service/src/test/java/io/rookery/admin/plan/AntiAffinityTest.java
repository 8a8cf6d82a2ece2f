package io.rookery.admin.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AntiAffinityTest {

    private static ClusterNode node(String name, String host) {
        return Topologies.empty(name, host, 7000);
    }

    @Test
    void scoresAsRedisCli() {
        List<ClusterNode> nodes = List.of(node("m1", "a"), node("m2", "b"), node("s1", "a"), node("s2", "a"),
                node("s3", "b"), node("s4", "c"), node("s5", "c"));
        // s1 with its primary m1 on a: 10000; s4 and s5 (replicas of m2) together on c: 2; s2 (of m2) and s3 (of
        // m1) are alone with respect to their primaries on their hosts
        int[] primaryOf = {-1, -1, 0, 1, 0, 1, 1};
        assertThat(AntiAffinity.score(nodes, primaryOf)).isEqualTo(10000 + 2);
        assertThat(AntiAffinity.offenders(nodes, primaryOf)).containsExactly(2, 5);
        assertThat(AntiAffinity.score(nodes, new int[] {-1, -1, 1, 0, 0, 1, 1})).isEqualTo(10000 + 2);
        // the best possible here: s1 and s2 (on a, with m1) both follow m2, so they share a host
        assertThat(AntiAffinity.score(nodes, new int[] {-1, -1, 1, 1, 0, 0, 1})).isEqualTo(2);
    }

    @Test
    void optimiserKeepsReplicaCountsPerPrimary() {
        List<ClusterNode> nodes = List.of(node("m1", "a"), node("m2", "b"), node("s1", "a"), node("s2", "a"),
                node("s3", "b"), node("s4", "b"));
        int[] primaryOf = {-1, -1, 0, 0, 1, 1};
        int score = AntiAffinity.optimise(nodes, primaryOf);
        // every replica leaves its primary's host; the two of each primary then share a host: 2 + 2
        assertThat(score).isEqualTo(4);
        assertThat(primaryOf).containsExactly(-1, -1, 1, 1, 0, 0);
        assertThat(Arrays.stream(primaryOf).filter(p -> p == 0).count()).isEqualTo(2);
        assertThat(Arrays.stream(primaryOf).filter(p -> p == 1).count()).isEqualTo(2);
    }

    /**
     * For many random host layouts, whenever some assignment with the same replica counts per primary keeps every
     * replica off its primary's host (checked by a bipartite matching), the create plan achieves it.
     */
    @Test
    void createNeverLeavesAReplicaOnItsPrimarysHostWhenThatIsAvoidable() {
        Random random = new Random(12);
        CreatePlanner planner = new CreatePlanner();
        int feasibleCases = 0;
        for (int round = 0; round < 400; round++) {
            int hosts = 2 + random.nextInt(4);
            int replicas = 1 + random.nextInt(2);
            int count = 3 * (replicas + 1) + random.nextInt(8);
            List<ClusterNode> nodes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                nodes.add(Topologies.empty("n" + i + "r" + round, "h" + random.nextInt(hosts), 7000 + i));
            }
            Plan plan = planner.plan(nodes, replicas);
            Map<String, String> hostOf = new HashMap<>();
            nodes.forEach(n -> hostOf.put(n.id(), n.host()));
            List<String> primaries = plan.after().stream().map(PrimaryFigures::nodeId).toList();
            Map<String, Integer> wanted = new HashMap<>();
            plan.replicaAssignments().forEach(r -> wanted.merge(r.primaryId(), 1, Integer::sum));
            List<String> replicaIds = plan.replicaAssignments().stream().map(ReplicaAssignment::replicaId).toList();
            if (!perfectPossible(primaries, wanted, replicaIds, hostOf)) {
                continue;
            }
            feasibleCases++;
            int r = round;
            plan.replicaAssignments().forEach(a -> assertThat(hostOf.get(a.replicaId()))
                    .as("round %d: %s", r, nodes).isNotEqualTo(hostOf.get(a.primaryId())));
        }
        assertThat(feasibleCases).isGreaterThan(100);
    }

    /** Whether replicas can be matched to primary slots (wanted copies each) without sharing a host. */
    private static boolean perfectPossible(List<String> primaries, Map<String, Integer> wanted, List<String> replicas,
            Map<String, String> hostOf) {
        List<String> seats = new ArrayList<>();
        for (String primary : primaries) {
            for (int i = 0; i < wanted.getOrDefault(primary, 0); i++) {
                seats.add(primary);
            }
        }
        int[] seatTaken = new int[seats.size()];
        Arrays.fill(seatTaken, -1);
        for (int r = 0; r < replicas.size(); r++) {
            if (!augment(r, new boolean[seats.size()], seats, seatTaken, replicas, hostOf)) {
                return false;
            }
        }
        return true;
    }

    private static boolean augment(int replica, boolean[] seen, List<String> seats, int[] seatTaken,
            List<String> replicas, Map<String, String> hostOf) {
        for (int s = 0; s < seats.size(); s++) {
            if (seen[s] || hostOf.get(seats.get(s)).equals(hostOf.get(replicas.get(replica)))) {
                continue;
            }
            seen[s] = true;
            if (seatTaken[s] < 0 || augment(seatTaken[s], seen, seats, seatTaken, replicas, hostOf)) {
                seatTaken[s] = replica;
                return true;
            }
        }
        return false;
    }
}
