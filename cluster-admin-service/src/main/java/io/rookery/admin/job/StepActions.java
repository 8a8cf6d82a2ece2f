package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.ClusterNodeEntry;
import io.rookery.admin.cluster.ClusterNodesParser;
import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.HealthCheck;
import io.rookery.admin.cluster.NodeCommandException;
import io.rookery.admin.cluster.NodeConnection;
import io.rookery.admin.cluster.NodeState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Carries out the steps that are not slot moves, each with the standard cluster commands, each safe to
 * run again after a restart (a MEET, ADDSLOTS or REPLICATE that already took effect is recognised).
 */
final class StepActions {
    private static final long WAIT_MILLIS = 60_000;
    /** While nodes wait to know each other: how long before a node that still does not know another MEETs it again. */
    static final long MEET_AGAIN_MILLIS = 5_000;
    /** Redis's manual-failover timeout (5 s) and a margin: a failover not done by then is over. */
    private static final long MANUAL_FAILOVER_RETRY_MILLIS = 7_000;

    private final ClusterHandle cluster;
    private final SlotMigrator migrator;
    private final SlotMigrator.Progress log;

    StepActions(ClusterHandle cluster, SlotMigrator migrator, SlotMigrator.Progress log) {
        this.cluster = cluster;
        this.migrator = migrator;
        this.log = log;
    }

    void run(JobStep step, Set<String> jobNodes) throws InterruptedException {
        switch (step.kind()) {
            case MEET -> meet(step);
            case ADD_SLOTS -> addSlots(step);
            case AWAIT_JOINED -> awaitJoined(jobNodes);
            case REPLICATE -> replicate(step);
            case FIX -> fix(step);
            case FORGET -> forget(step.nodeId());
            case FAILOVER -> failover(step);
            case AWAIT_CONSISTENT -> awaitConsistent();
            case MOVE -> throw new IllegalArgumentException("slot moves run through SlotMigrator");
        }
    }

    private void meet(JobStep step) {
        String[] a = step.arg().split(" ");
        cluster.node(step.nodeId()).call("CLUSTER", "MEET", a[0], a[1], a[2]);
    }

    private void addSlots(JobStep step) {
        NodeConnection n = cluster.node(step.nodeId());
        ClusterNodeEntry self = SlotMigrator.self(n);
        for (String r : step.arg().split(",")) {
            if (r.isEmpty()) {
                continue; // an epoch-only assignment (a future replica)
            }
            String[] ends = r.contains("-") ? r.split("-") : new String[]{r, r};
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[1]);
            if (self.slots().get(from, to + 1).cardinality() == to - from + 1) {
                continue; // taken effect before a restart
            }
            n.call("CLUSTER", "ADDSLOTSRANGE", ends[0], ends[1]);
        }
        if (step.epoch() > 0 && self.configEpoch() == 0) {
            try {
                n.call("CLUSTER", "SET-CONFIG-EPOCH", Long.toString(step.epoch()));
            } catch (NodeCommandException e) {
                // "ERR The user can assign a config epoch only when the node does not know any other node."
                // redis-cli ignores it too: epochs then come from the collision handling
                log.log("WARN", "SET-CONFIG-EPOCH on " + step.nodeId() + ": " + e.reply());
            }
        }
    }

    /**
     * Every node of the job and every node the cluster lists lists every other, none still in
     * handshake (a MEET is done once the nodes completed their handshake).
     *
     * <p>A handshake can be lost: the node that received a MEET drops its half-made entry for the sender
     * after the node timeout when its PING round trip did not finish in time (a node busy starting on a
     * loaded machine), while the sender finished its half and goes on pinging. Regular PINGs and gossip
     * from a node it does not know never teach it the sender again, so it would stay alone for good. Every
     * {@link #MEET_AGAIN_MILLIS} of waiting, each node that lists another neither as known nor in
     * handshake is therefore told to MEET it again (redis-cli's create would wait forever instead).
     */
    private void awaitJoined(Set<String> jobNodes) throws InterruptedException {
        long[] meetAgainAt = {System.currentTimeMillis() + MEET_AGAIN_MILLIS};
        await("every node to know every other", () -> {
            ClusterSnapshot s = cluster.refresh();
            Set<String> ids = new java.util.LinkedHashSet<>(jobNodes);
            s.nodes().stream().filter(NodeState::reached).forEach(n -> ids.add(n.id()));
            boolean joined = true;
            List<NodeState[]> lost = new ArrayList<>();
            for (String id : ids) {
                NodeState n = s.node(id).orElse(null);
                if (n == null || !n.reached()) {
                    return false;
                }
                for (String other : ids) {
                    boolean known = n.view().stream().anyMatch(e -> e.id().equals(other) && !e.flags().contains("handshake"));
                    if (!known) {
                        joined = false;
                        NodeState o = s.node(other).orElse(null);
                        if (o != null && o.reached() && !inHandshakeWith(n, o)) {
                            lost.add(new NodeState[]{n, o});
                        }
                    }
                }
            }
            if (!joined && !lost.isEmpty() && System.currentTimeMillis() >= meetAgainAt[0]) {
                lost.forEach(pair -> meetAgain(pair[0], pair[1]));
                meetAgainAt[0] = System.currentTimeMillis() + MEET_AGAIN_MILLIS;
            }
            return joined;
        });
    }

    /** {@code n} lists a handshake with {@code other}'s address: its MEET or PING is under way. */
    private static boolean inHandshakeWith(NodeState n, NodeState other) {
        return n.view().stream().anyMatch(e -> e.flags().contains("handshake") && e.address().equals(other.address()));
    }

    private void meetAgain(NodeState n, NodeState other) {
        ClusterNodeEntry o = other.self();
        log.log("INFO", n.id() + " does not know " + o.id() + " (a handshake lost?): CLUSTER MEET " + o.address()
                + " again");
        try {
            cluster.node(n.id()).call("CLUSTER", "MEET", o.address().host(), Integer.toString(o.address().port()),
                    Integer.toString(o.busPort()));
        } catch (NodeCommandException e) {
            log.log("WARN", "CLUSTER MEET on " + n.id() + ": " + e.reply()); // the next round tries again
        } catch (RuntimeException e) {
            log.log("WARN", "CLUSTER MEET on " + n.id() + ": " + e.getMessage());
        }
    }

    private void replicate(JobStep step) throws InterruptedException {
        NodeConnection replica = cluster.node(step.nodeId());
        if (step.peerId().equals(SlotMigrator.self(replica).primaryId())) {
            return;
        }
        await("node " + step.nodeId() + " to know its primary " + step.peerId(), () -> {
            try {
                replica.call("CLUSTER", "REPLICATE", step.peerId());
                return true;
            } catch (NodeCommandException e) {
                if (e.replyStartsWith("ERR Unknown node")) {
                    return false;
                }
                throw e;
            }
        });
    }

    private void fix(JobStep step) throws InterruptedException {
        String slot = Integer.toString(step.slot());
        NodeConnection n = cluster.node(step.nodeId());
        switch (step.arg()) {
            case "ASSIGN", "ASSIGN_AND_STABILIZE" -> {
                ignoring(() -> n.call("CLUSTER", "DELSLOTS", slot), "ERR Slot " + slot + " is already unassigned");
                n.call("CLUSTER", "ADDSLOTS", slot);
                if (step.arg().equals("ASSIGN_AND_STABILIZE")) {
                    n.call("CLUSTER", "SETSLOT", slot, "STABLE");
                }
                n.call("CLUSTER", "BUMPEPOCH");
            }
            case "DELSLOTS" -> ignoring(() -> n.call("CLUSTER", "DELSLOTS", slot), "ERR Slot " + slot + " is already unassigned");
            case "SETSLOT_STABLE" -> n.call("CLUSTER", "SETSLOT", slot, "STABLE");
            case "SETSLOT_NODE" -> n.call("CLUSTER", "SETSLOT", slot, "NODE", step.peerId());
            case "SETSLOT_IMPORTING" -> n.call("CLUSTER", "SETSLOT", slot, "IMPORTING", step.peerId());
            case "MOVE_KEYS" -> migrator.migrateKeys(step.slot(), n, cluster.address(step.peerId()), 0, log, true);
            case "MOVE_SLOT" -> {
                migrator.move(step.slot(), step.nodeId(), step.peerId(), 0, true, log);
                migrator.settle(log);
            }
            default -> throw new IllegalArgumentException("unknown fix action " + step.arg());
        }
    }

    private static void ignoring(Runnable call, String errorPrefix) {
        try {
            call.run();
        } catch (NodeCommandException e) {
            if (e.reply() == null || !(e.reply().startsWith(errorPrefix) || e.reply().contains("already unassigned"))) {
                throw e;
            }
        }
    }

    /**
     * redis-cli del-node: replicas of the node are re-pointed to the primary with fewest replicas, every
     * other node forgets it, then it is reset (soft) so it can't gossip its way back.
     */
    private void forget(String id) {
        ClusterSnapshot s = cluster.refresh();
        NodeState gone = s.node(id).orElse(null);
        for (NodeState n : s.nodes()) {
            if (n.id().equals(id) || !n.reached()) {
                continue;
            }
            NodeConnection c = cluster.connections().to(n.address());
            if (id.equals(n.self().primaryId())) {
                s.primaries().stream().filter(p -> !p.id().equals(id) && p.self().slotCount() > 0)
                        .min(Comparator.comparingInt(p -> s.replicasOf(p.id()).size()))
                        .ifPresent(p -> c.call("CLUSTER", "REPLICATE", p.id()));
            }
            ignoring(() -> c.call("CLUSTER", "FORGET", id), "ERR Unknown node");
        }
        if (gone != null && gone.reached()) {
            cluster.connections().to(gone.address()).call("CLUSTER", "RESET", "SOFT");
        }
        cluster.refresh();
    }

    /**
     * CLUSTER FAILOVER [FORCE|TAKEOVER] on the replica, until it is a primary. A plain (manual)
     * failover needs the primary to know the replica as its own, or the primary ignores its MFSTART
     * and the replica gives up after Redis's 5 s manual-failover timeout: a replica that has just
     * synchronized may not have told its primary yet (gossip), so that is awaited first, and the
     * command is sent again each time a manual failover may have timed out.
     */
    private void failover(JobStep step) throws InterruptedException {
        NodeConnection replica = cluster.node(step.nodeId());
        if (SlotMigrator.self(replica).primary()) {
            log.log("INFO", step.nodeId() + " is already a primary");
            return;
        }
        boolean manual = step.arg() == null || step.arg().isEmpty();
        String primaryId = SlotMigrator.self(replica).primaryId();
        if (manual && primaryId != null) {
            NodeConnection primary = cluster.node(primaryId);
            await(primaryId + " to know " + step.nodeId() + " as its replica", () -> knowsReplica(primary,
                    primaryId, step.nodeId()));
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            if (manual) {
                replica.call("CLUSTER", "FAILOVER");
            } else {
                replica.call("CLUSTER", "FAILOVER", step.arg());
            }
            long retryAt = System.currentTimeMillis() + MANUAL_FAILOVER_RETRY_MILLIS;
            while (System.currentTimeMillis() < retryAt) {
                if (SlotMigrator.self(replica).primary()) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("gave up waiting " + WAIT_MILLIS / 1000 + " s for "
                            + step.nodeId() + " to become a primary");
                }
                Thread.sleep(200);
            }
            log.log("INFO", step.nodeId() + " is not a primary yet; CLUSTER FAILOVER again");
        }
    }

    /** {@code primary}'s CLUSTER NODES lists {@code replicaId} as a replica of {@code primaryId}. */
    private static boolean knowsReplica(NodeConnection primary, String primaryId, String replicaId) {
        return ClusterNodesParser.parse(SlotMigrator.text(primary.call("CLUSTER", "NODES"))).stream()
                .anyMatch(e -> e.id().equals(replicaId) && primaryId.equals(e.primaryId()));
    }

    private void awaitConsistent() throws InterruptedException {
        ClusterSnapshot[] last = new ClusterSnapshot[1];
        try {
            await("the nodes to agree with no slot open", () -> {
                last[0] = cluster.refresh();
                return HealthCheck.settled(last[0]);
            });
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + ": " + HealthCheck.judge(last[0]).findings());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("gave up waiting " + WAIT_MILLIS / 1000 + " s for " + what);
            }
            Thread.sleep(200);
        }
    }
}
