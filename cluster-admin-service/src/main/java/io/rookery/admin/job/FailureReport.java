package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.NodeCommandException;
import io.rookery.admin.cluster.NodeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a failed job tells its operator, worked out from a fresh read of the cluster: which nodes of the
 * failed steps can't be reached (a node that died midway: the error of the step itself may name only the
 * node that reported it, such as the source whose MIGRATE to a dead target failed), which slots are left
 * open and on which nodes, and the way out: resume the job once the node is back, or run a fix job.
 *
 * @param cause a few words for the job's error naming the unreachable nodes, or null when every node answers
 * @param lines the step log lines, in order
 */
record FailureReport(String cause, List<Line> lines) {

    /** One step log line. */
    record Line(String level, String message) {
    }

    static FailureReport of(long jobId, String clusterName, List<JobStep> failed, ClusterSnapshot snapshot) {
        List<Line> lines = new ArrayList<>();
        Map<String, String> down = new LinkedHashMap<>(); // id -> address
        for (JobStep step : failed) {
            for (String id : parties(step)) {
                NodeState n = snapshot.node(id).orElse(null);
                if (down.containsKey(id) || (n != null && n.reached())) {
                    continue;
                }
                String address = n == null || n.address() == null ? "an unknown address" : n.address().toString();
                down.put(id, address);
                lines.add(new Line("ERROR", "node " + id + " at " + address + " (" + role(step, id) + ") can't be reached: "
                        + (n == null ? "no node of the cluster lists it" : n.error())));
            }
        }
        Map<Integer, List<String>> open = openSlots(snapshot);
        TreeSet<Integer> unreadable = new TreeSet<>(); // failed moves whose state on a dead node can't be read
        for (JobStep step : failed) {
            if (step.slot() >= 0 && parties(step).stream().anyMatch(down::containsKey)) {
                unreadable.add(step.slot());
            }
        }
        TreeSet<Integer> affected = new TreeSet<>(open.keySet());
        affected.addAll(unreadable);
        if (!open.isEmpty()) {
            lines.add(new Line("ERROR", "slots left open: " + open));
        }
        if (!unreadable.isEmpty()) {
            lines.add(new Line("ERROR", "slot" + plural(unreadable) + " " + join(unreadable) + " may also be open on "
                    + String.join(", ", down.values()) + ", whose state can't be read while it is down"));
        }
        String resume = "resume job " + jobId + " (POST /api/v1/jobs/" + jobId + "/resume)";
        String fix = "run a fix job (POST /api/v1/clusters/" + clusterName + "/fix)";
        if (!down.isEmpty()) {
            String slots = affected.isEmpty() ? "" : " of slot" + plural(affected) + " " + join(affected);
            lines.add(new Line("ERROR", "to finish: once " + String.join(", ", down.values()) + " answers again (restart "
                    + "it on the same address with its data directory, so it keeps its node id, nodes.conf and keys), "
                    + resume + ": it drives the move" + slots + " again from where it stopped. If it does not come back "
                    + "(failed over to a replica, or lost), " + fix + (affected.isEmpty() ? "" : " to close slot"
                    + plural(affected) + " " + join(affected)) + " (with withUnreachablePrimaries while it is down), then "
                    + "cancel this job and plan the rest again"));
        } else if (!open.isEmpty()) {
            lines.add(new Line("ERROR", "to finish: " + resume + " to retry: it drives the move of slot" + plural(affected)
                    + " " + join(affected) + " again from where it stopped; or " + fix + " to close "
                    + (affected.size() == 1 ? "it" : "them") + " where the keys are"));
        } else {
            lines.add(new Line("INFO", "no slot is left open; " + resume + " to retry the failed step"));
        }
        String cause = down.isEmpty() ? null : down.entrySet().stream().map(e -> "node " + e.getKey() + " at "
                + e.getValue() + " can't be reached").collect(Collectors.joining(", "));
        return new FailureReport(cause, List.copyOf(lines));
    }

    /**
     * Whether a step's exception says a node went away: one did not answer at all, or MIGRATE could not
     * reach its target ({@code IOERR}).
     */
    static boolean lostANode(RuntimeException e) {
        return e instanceof NodeCommandException n && (n.reply() == null || n.reply().startsWith("IOERR"));
    }

    /** Open slot → ["address (id) migrating to address (id)", "... importing from ..."]. */
    private static Map<Integer, List<String>> openSlots(ClusterSnapshot s) {
        Map<Integer, List<String>> open = new TreeMap<>();
        for (NodeState n : s.nodes()) {
            n.self().migrating().forEach((slot, to) -> open.computeIfAbsent(slot, k -> new ArrayList<>())
                    .add(named(s, n.id()) + " migrating to " + named(s, to)));
            n.self().importing().forEach((slot, from) -> open.computeIfAbsent(slot, k -> new ArrayList<>())
                    .add(named(s, n.id()) + " importing from " + named(s, from)));
        }
        return open;
    }

    private static String named(ClusterSnapshot s, String id) {
        return s.node(id).filter(n -> n.address() != null).map(n -> n.address() + " (" + id + ")").orElse(id);
    }

    private static List<String> parties(JobStep step) {
        List<String> ids = new ArrayList<>(2);
        if (step.nodeId() != null) {
            ids.add(step.nodeId());
        }
        if (step.peerId() != null && !step.peerId().equals(step.nodeId())) {
            ids.add(step.peerId());
        }
        return ids;
    }

    private static String role(JobStep step, String id) {
        boolean node = id.equals(step.nodeId());
        if (step.kind() == StepKind.MOVE) {
            return (node ? "the source" : "the target") + " of the move of slot " + step.slot();
        }
        return (node ? "the node" : "the peer") + " of step " + step.seq() + ", " + step.describe();
    }

    private static String plural(java.util.Collection<Integer> slots) {
        return slots.size() == 1 ? "" : "s";
    }

    private static String join(java.util.Collection<Integer> slots) {
        return slots.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
