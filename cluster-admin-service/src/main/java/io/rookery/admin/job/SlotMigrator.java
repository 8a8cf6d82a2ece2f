package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterHandle;
import io.rookery.admin.cluster.ClusterNodeEntry;
import io.rookery.admin.cluster.ClusterNodesParser;
import io.rookery.admin.cluster.Credentials;
import io.rookery.admin.cluster.NodeAddress;
import io.rookery.admin.cluster.NodeCommandException;
import io.rookery.admin.cluster.NodeConnection;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.cluster.RespValues;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Moves one slot from a source primary to a target primary in Redis's safe order (redis-cli's
 * clusterManagerMoveSlot): {@code SETSLOT IMPORTING} on the target, {@code MIGRATING} on the source,
 * {@code GETKEYSINSLOT} + {@code MIGRATE ... KEYS} in batches until the slot is empty on the source,
 * then {@code SETSLOT NODE} on the target first (so a crash never leaves the slot without an owner),
 * the source, and every other primary.
 *
 * <p>Each state is stored (through {@link Progress}) before the commands it names are sent. A move is
 * idempotent: driven again from any stored state it re-issues IMPORTING and MIGRATING, migrates what is
 * left and assigns; when the target already owns the slot it only finishes the assignment.
 *
 * <p>BUSYKEY (the target already holds a key) is handled as redis-cli does: the values are compared on
 * both nodes (DEBUG DIGEST-VALUE, or DUMP payloads where DEBUG is disabled); equal values — a batch
 * that reached the target before a crash — or the job's {@code replace} parameter make the batch go
 * again with REPLACE; different values fail the step naming the keys.
 */
final class SlotMigrator {
    private static final String ONLY_MASTERS = "ERR Please use SETSLOT only with masters.";

    /** Where a move reports its state and counts. */
    interface Progress {
        void state(StepState state);

        void moved(long keys, long bytes);

        void log(String level, String message);
    }

    private final ClusterHandle cluster;
    private final JobParams params;
    private final MigrationThrottle throttle;

    SlotMigrator(ClusterHandle cluster, JobParams params, MigrationThrottle throttle) {
        this.cluster = cluster;
        this.params = params;
        this.throttle = throttle;
    }

    /**
     * Moves {@code slot}; throws {@link NodeCommandException} or {@link IllegalStateException} on failure.
     * {@code resumed} says the move may have been under way (a restart, a retry): the owner is then
     * checked first; a fresh move learns it from SETSLOT's answer instead, saving two round trips.
     */
    void move(int slot, String sourceId, String targetId, long bytesPerKeyEstimate, boolean resumed, Progress progress)
            throws InterruptedException {
        NodeConnection target = cluster.node(targetId);
        NodeConnection source = cluster.node(sourceId);
        boolean owned = resumed && self(target).slots().get(slot);
        if (!owned) {
            if (resumed && !self(source).slots().get(slot)) {
                throw new IllegalStateException("slot " + slot + " is owned by neither " + sourceId + " nor "
                        + targetId + ": the cluster changed since the plan was made");
            }
            progress.state(StepState.IMPORTING);
            try {
                target.call("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", sourceId);
            } catch (NodeCommandException e) {
                if (!e.replyStartsWith("ERR I'm already the owner of hash slot")) {
                    throw e;
                }
                owned = true;
            }
        }
        if (!owned) {
            progress.state(StepState.MIGRATING);
            source.call("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId);
            progress.state(StepState.MOVING_KEYS);
            migrateKeys(slot, source, target.address(), bytesPerKeyEstimate, progress, false);
        } else {
            progress.log("INFO", "slot " + slot + " is already owned by " + targetId + ": finishing its assignment");
        }
        progress.state(StepState.ASSIGNING);
        assign(slot, sourceId, targetId, progress);
    }

    /**
     * SETSLOT NODE on the target, the source (which answers "only with masters" when it just lost its
     * last slot and turned replica: not an error, redis-cli's issue #9223), then every other primary
     * (one that can't be reached learns the owner from the bus; logged, not fatal).
     */
    void assign(int slot, String sourceId, String targetId, Progress progress) {
        String s = Integer.toString(slot);
        cluster.node(targetId).call("CLUSTER", "SETSLOT", s, "NODE", targetId);
        try {
            cluster.node(sourceId).call("CLUSTER", "SETSLOT", s, "NODE", targetId);
        } catch (NodeCommandException e) {
            if (!e.replyStartsWith(ONLY_MASTERS)) {
                throw e;
            }
        }
        for (NodeState n : cluster.snapshot().primaries()) {
            if (n.id().equals(sourceId) || n.id().equals(targetId) || !n.reached()) {
                continue;
            }
            try {
                cluster.connections().to(n.address()).call("CLUSTER", "SETSLOT", s, "NODE", targetId);
            } catch (NodeCommandException e) {
                if (!e.replyStartsWith(ONLY_MASTERS)) {
                    progress.log("WARN", "SETSLOT " + s + " NODE on " + n.address() + " failed (" + e.getMessage()
                            + "); it will learn the owner from the cluster bus");
                }
            }
        }
    }

    /**
     * Migrates every key of {@code slot} from {@code source} to {@code target} in batches of the job's
     * size; {@code cold} is redis-cli's fix-time move (no slot states involved) where BUSYKEY always
     * replaces.
     */
    void migrateKeys(int slot, NodeConnection source, NodeAddress target, long bytesPerKeyEstimate, Progress progress,
                     boolean cold) throws InterruptedException {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            List<byte[]> keys = bulks(source.call("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot),
                    Integer.toString(params.batchKeys())));
            if (keys.isEmpty()) {
                return;
            }
            long bytes = throttle.limitsBytes() ? memoryUsage(source, keys) : bytesPerKeyEstimate * keys.size();
            throttle.acquire(keys.size(), bytes);
            try {
                source.call(migrate(target, keys, false));
            } catch (NodeCommandException e) {
                // "ERR Target instance replied with error: BUSYKEY ...": matched anywhere, as redis-cli does
                if (e.reply() == null || !e.reply().contains("BUSYKEY")) {
                    throw e;
                }
                boolean replace = cold || params.replace();
                if (!replace) {
                    List<String> differing = differing(source, target, keys);
                    if (!differing.isEmpty()) {
                        throw new IllegalStateException("slot " + slot + ": " + differing.size()
                                + " key(s) exist on both " + source.address() + " and " + target
                                + " with different values: " + differing
                                + "; fix them by hand or run the job again with replace=true");
                    }
                }
                progress.log("WARN", "slot " + slot + ": target keys exist, replacing them");
                source.call(migrate(target, keys, true));
            }
            progress.moved(keys.size(), bytes);
        }
    }

    private byte[][] migrate(NodeAddress target, List<byte[]> keys, boolean replace) {
        List<String> head = new ArrayList<>(List.of("MIGRATE", target.host(), Integer.toString(target.port()), "", "0",
                Integer.toString(params.migrateTimeoutMillis())));
        if (replace) {
            head.add("REPLACE");
        }
        Credentials c = cluster.credentials();
        if (c.present()) {
            if (c.user() != null) {
                head.addAll(List.of("AUTH2", c.user(), c.password()));
            } else {
                head.addAll(List.of("AUTH", c.password()));
            }
        }
        head.add("KEYS");
        byte[][] args = new byte[head.size() + keys.size()][];
        for (int i = 0; i < head.size(); i++) {
            args[i] = head.get(i).getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < keys.size(); i++) {
            args[head.size() + i] = keys.get(i);
        }
        return args;
    }

    private static long memoryUsage(NodeConnection source, List<byte[]> keys) {
        long sum = 0;
        for (byte[] k : keys) {
            RespValue v = source.call("MEMORY".getBytes(StandardCharsets.UTF_8), "USAGE".getBytes(StandardCharsets.UTF_8), k);
            if (v instanceof RespValue.Integer i) {
                sum += i.value();
            }
        }
        return sum;
    }

    /**
     * The keys whose values differ between the two nodes (redis-cli's clusterManagerCompareKeysValues).
     * The target is importing the slot, so it is asked on a connection of its own, each read preceded
     * by ASKING.
     */
    private List<String> differing(NodeConnection source, NodeAddress target, List<byte[]> keys) {
        List<String> out = new ArrayList<>();
        try (NodeConnection asking = cluster.connections().dedicated(target)) {
            for (byte[] k : keys) {
                if (!Arrays.equals(fingerprint(source, k, false), fingerprint(asking, k, true))) {
                    out.add(new String(k, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** DEBUG DIGEST-VALUE of the key, or its DUMP payload where DEBUG is disabled (Redis 7.0's default). */
    private static byte[] fingerprint(NodeConnection node, byte[] key, boolean asking) {
        try {
            RespValue v = node.call("DEBUG".getBytes(StandardCharsets.UTF_8),
                    "DIGEST-VALUE".getBytes(StandardCharsets.UTF_8), key);
            return v.toString().getBytes(StandardCharsets.UTF_8);
        } catch (NodeCommandException e) {
            if (e.reply() == null) {
                throw e;
            }
            if (asking) {
                node.call("ASKING");
            }
            RespValue v = node.call("DUMP".getBytes(StandardCharsets.UTF_8), key);
            return v instanceof RespValue.BulkString b ? b.value() : new byte[0];
        }
    }

    static ClusterNodeEntry self(NodeConnection node) {
        String nodes = text(node.call("CLUSTER", "NODES"));
        return ClusterNodesParser.parse(nodes).stream().filter(ClusterNodeEntry::myself).findFirst()
                .orElseThrow(() -> new IllegalStateException(node.address() + " lists no myself line"));
    }

    static String text(RespValue v) {
        return RespValues.text(v);
    }

    private static List<byte[]> bulks(RespValue v) {
        List<byte[]> out = new ArrayList<>();
        if (v instanceof RespValue.Array a) {
            for (RespValue e : a.elements()) {
                if (e instanceof RespValue.BulkString b) {
                    out.add(b.value());
                }
            }
        }
        return out;
    }
}
