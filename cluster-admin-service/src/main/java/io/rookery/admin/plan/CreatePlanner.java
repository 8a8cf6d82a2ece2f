package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a new cluster from empty nodes, as {@code redis-cli --cluster create --cluster-replicas N} does
 * (clusterManagerCommandCreate in redis-cli 7.0):
 * <ol>
 * <li>{@code nodes / (replicas + 1)} primaries, at least 3, else redis-cli's error;</li>
 * <li>the nodes are interleaved by host (one from each host in turn, hosts in order of first appearance) and the
 * first of them become primaries, so primaries spread over hosts;</li>
 * <li>primary {@code i} gets the contiguous range from the previous end + 1 to {@code lround(i * 16384/M + 16384/M
 * - 1)} in single precision, the last one up to 16383 (redis-cli's split, e.g. 0-5460, 5461-10922, 10923-16383);</li>
 * <li>the remaining nodes (their list rotated by one) become replicas, each primary in turn taking the first one on
 * another host, else the first one left; a second pass hands out any extra nodes one per primary;</li>
 * <li>the assignment is improved by swapping replicas' primaries while redis-cli's anti-affinity score
 * ({@link AntiAffinity}) drops — deterministically, where redis-cli swaps at random — so that a replica is never on
 * its primary's host when the hosts allow it; when they do not, the plan says so with redis-cli's warning.</li>
 * </ol>
 * Every node then gets a distinct config epoch from 1 in the given order, and every node but the first meets the
 * first.
 */
public final class CreatePlanner {
    private static final int MIN_PRIMARIES = 3;

    /**
     * The plan for {@code nodes} (each empty: no slots, not a replica, no keys) in the operator's order with
     * {@code replicas} replicas per primary.
     *
     * @throws PlanRejectedException with redis-cli's message when there would be fewer than 3 primaries, or a node is
     *                               not empty
     */
    public Plan plan(List<ClusterNode> nodes, int replicas) {
        if (replicas < 0) {
            throw new PlanRejectedException("ERR the number of replicas must be 0 or more");
        }
        for (ClusterNode node : nodes) {
            if (!node.slots().isEmpty() || !node.isPrimary()
                    || node.keysBySlot().values().stream().anyMatch(keys -> keys > 0)) {
                throw new PlanRejectedException("[ERR] Node " + node.endpoint() + " is not empty. Either the node"
                        + " already knows other nodes (check with CLUSTER NODES) or contains some key in database 0.");
            }
        }
        int primaryCount = nodes.size() / (replicas + 1);
        if (primaryCount < MIN_PRIMARIES) {
            throw new PlanRejectedException("*** ERROR: Invalid configuration for cluster creation.\n"
                    + "*** Redis Cluster requires at least 3 master nodes.\n"
                    + "*** This is not possible with " + nodes.size() + " nodes and " + replicas
                    + " replicas per node.\n"
                    + "*** At least " + 3 * (replicas + 1) + " nodes are required.");
        }
        List<ClusterNode> interleaved = interleaveByHost(nodes);
        List<ClusterNode> primaries = interleaved.subList(0, primaryCount);
        List<List<SlotRange>> ranges = split(primaryCount);

        List<ClusterNode> rest = new ArrayList<>(interleaved.subList(primaryCount, interleaved.size()));
        if (!rest.isEmpty()) {
            rest.add(rest.remove(0));
        }
        Map<String, String> primaryOfReplica = assignReplicas(primaries, rest, replicas);

        int[] primaryOf = new int[nodes.size()];
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
        }
        for (int i = 0; i < nodes.size(); i++) {
            String primary = primaryOfReplica.get(nodes.get(i).id());
            primaryOf[i] = primary == null ? -1 : index.get(primary);
        }
        int score = AntiAffinity.optimise(nodes, primaryOf);

        List<SlotAssignment> assignments = new ArrayList<>();
        Map<String, List<SlotRange>> slotsOf = new LinkedHashMap<>();
        for (int i = 0; i < primaryCount; i++) {
            slotsOf.put(primaries.get(i).id(), ranges.get(i));
        }
        for (int i = 0; i < nodes.size(); i++) {
            ClusterNode node = nodes.get(i);
            assignments.add(new SlotAssignment(node.id(), slotsOf.getOrDefault(node.id(), List.of()), i + 1));
        }
        ClusterNode first = nodes.get(0);
        List<NodeMeet> meets = new ArrayList<>();
        for (ClusterNode node : nodes.subList(1, nodes.size())) {
            meets.add(new NodeMeet(node.id(), first.host(), first.port(), first.busPort()));
        }
        List<ReplicaAssignment> replicaAssignments = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (primaryOf[i] >= 0) {
                replicaAssignments.add(new ReplicaAssignment(nodes.get(i).id(), nodes.get(primaryOf[i]).id()));
            }
        }
        List<PrimaryFigures> before = new ArrayList<>();
        List<PrimaryFigures> after = new ArrayList<>();
        for (ClusterNode primary : primaries) {
            before.add(new PrimaryFigures(primary.id(), primary.endpoint(), 0, 0, 0, 0));
            int count = slotsOf.get(primary.id()).stream().mapToInt(SlotRange::size).sum();
            after.add(new PrimaryFigures(primary.id(), primary.endpoint(), count, 0, 0, count));
        }
        List<String> notes = new ArrayList<>();
        if (score >= 10000) {
            notes.add("[WARNING] Some slaves are in the same host as their master");
        } else if (score > 0) {
            notes.add("[WARNING] Some slaves of the same master are in the same host");
        }
        String objective = "Create a cluster of " + primaryCount + " primaries owning all 16384 slots in even"
                + " contiguous ranges (redis-cli's split) with " + replicas + " replica(s) per primary"
                + (nodes.size() > primaryCount * (replicas + 1) ? " (extra nodes as extra replicas)" : "")
                + ", replicas placed for anti-affinity (redis-cli's score " + score + ", 0 = perfect)";
        return new Plan(PlanKind.CREATE, objective, null, List.of(), assignments, replicaAssignments, meets,
                List.of(), List.of(), before, after, notes);
    }

    /** One node from each host in turn, hosts in the order they first appear. */
    static List<ClusterNode> interleaveByHost(List<ClusterNode> nodes) {
        Map<String, List<ClusterNode>> byHost = new LinkedHashMap<>();
        for (ClusterNode node : nodes) {
            byHost.computeIfAbsent(node.host(), h -> new ArrayList<>()).add(node);
        }
        List<ClusterNode> interleaved = new ArrayList<>(nodes.size());
        for (int round = 0; interleaved.size() < nodes.size(); round++) {
            for (List<ClusterNode> onHost : byHost.values()) {
                if (round < onHost.size()) {
                    interleaved.add(onHost.get(round));
                }
            }
        }
        return interleaved;
    }

    /**
     * redis-cli's split of the 16384 slots over {@code primaries} contiguous ranges (single-precision arithmetic
     * and lround, as redis-cli computes it).
     */
    public static List<List<SlotRange>> split(int primaries) {
        float slotsPerNode = SlotRange.SLOTS / (float) primaries;
        List<List<SlotRange>> ranges = new ArrayList<>();
        long first = 0;
        float cursor = 0.0f;
        for (int i = 0; i < primaries; i++) {
            float lastExact = cursor + slotsPerNode - 1;
            long last = Math.round((double) lastExact);
            if (last > SlotRange.SLOTS || i == primaries - 1) {
                last = SlotRange.SLOTS - 1;
            }
            if (last < first) {
                last = first;
            }
            ranges.add(first > SlotRange.SLOTS - 1 ? List.of() : List.of(new SlotRange((int) first, (int) last)));
            first = last + 1;
            cursor += slotsPerNode;
        }
        return ranges;
    }

    /** replica id → primary id, by redis-cli's two passes over the remaining nodes. */
    private static Map<String, String> assignReplicas(List<ClusterNode> primaries, List<ClusterNode> rest,
            int replicas) {
        Map<String, String> primaryOf = new LinkedHashMap<>();
        ClusterNode[] left = rest.toArray(new ClusterNode[0]);
        int offset = 0;
        int available = left.length;
        boolean extraPass = false;
        while (true) {
            for (ClusterNode primary : primaries) {
                int assigned = 0;
                while (assigned < replicas && available > 0) {
                    ClusterNode replica = null;
                    int firstIndex = -1;
                    for (int j = offset; j < left.length; j++) {
                        if (left[j] == null) {
                            continue;
                        }
                        if (!left[j].host().equals(primary.host())) {
                            replica = left[j];
                            left[j] = null;
                            break;
                        }
                        if (firstIndex < 0) {
                            firstIndex = j;
                        }
                    }
                    if (replica == null && firstIndex >= 0) {
                        replica = left[firstIndex];
                        offset = firstIndex + 1;
                    }
                    if (replica == null) {
                        break;
                    }
                    assigned++;
                    available--;
                    primaryOf.put(replica.id(), primary.id());
                    if (extraPass) {
                        break;
                    }
                }
            }
            if (extraPass || available == 0) {
                return primaryOf;
            }
            extraPass = true;
        }
    }
}
