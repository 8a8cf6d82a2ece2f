package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterConnections;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
final class SlotMigrator implements AutoCloseable {
    private static final String ONLY_MASTERS = "ERR Please use SETSLOT only with masters.";
    /** SETSLOT NODE notices to bystander primaries whose replies may be unread before the next are read. */
    static final int UNREAD_NOTICES = 256;

    /** Where a move reports its state and counts. */
    interface Progress {
        void state(StepState state);

        void moved(long keys, long bytes);

        void log(String level, String message);

        /** An overlapped move ({@link #moveOverlapped}) failed after it returned. */
        void failed(RuntimeException e);
    }

    private final ClusterHandle cluster;
    private final JobParams params;
    private final MigrationThrottle throttle;
    private final List<Notice> notices = new ArrayList<>();
    private final List<Handover> handovers = new ArrayList<>();
    private final Map<NodeAddress, NodeConnection> links = new ConcurrentHashMap<>();

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
        move(slot, sourceId, targetId, bytesPerKeyEstimate, resumed, progress, false);
    }

    /**
     * As {@link #move}, except that it returns once the target owns the slot and the source has been
     * sent its {@code SETSLOT NODE}, without waiting for the source's answer (the source saves its
     * nodes.conf before it answers). The answer is read during the next move on this migrator, after
     * that move's first round trip, or at {@link #settle}; only then is the move done, and {@code
     * progress} hears {@link StepState#DONE} or {@link Progress#failed}. So a slot's last round trip
     * overlaps the next slot's first one. The source must hear of the handover: it is the only command
     * that ends its MIGRATING state, so an error there fails the step (a resumed job sends it again).
     */
    void moveOverlapped(int slot, String sourceId, String targetId, long bytesPerKeyEstimate, boolean resumed,
                        Progress progress) throws InterruptedException {
        move(slot, sourceId, targetId, bytesPerKeyEstimate, resumed, progress, true);
    }

    private void move(int slot, String sourceId, String targetId, long bytesPerKeyEstimate, boolean resumed,
                      Progress progress, boolean overlapped) throws InterruptedException {
        NodeConnection target = link(targetId);
        NodeConnection source = link(sourceId);
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
        settleHandovers();
        if (!owned) {
            progress.state(StepState.MIGRATING);
            // MIGRATING and the first GETKEYSINSLOT in one round trip: the source runs them in order
            NodeConnection.Reply migrating = source.send("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId);
            NodeConnection.Reply firstKeys = source.send(getKeys(slot));
            migrating.await();
            progress.state(StepState.MOVING_KEYS);
            migrateKeys(slot, source, target.address(), bytesPerKeyEstimate, progress, false, firstKeys);
        } else {
            progress.log("INFO", "slot " + slot + " is already owned by " + targetId + ": finishing its assignment");
        }
        progress.state(StepState.ASSIGNING);
        assign(slot, sourceId, targetId, progress, overlapped);
    }

    /**
     * SETSLOT NODE on the target, the source (which answers "only with masters" when it just lost its
     * last slot and turned replica: not an error, redis-cli's issue #9223), then every other primary
     * (one that can't be reached learns the owner from the bus; logged, not fatal). The other
     * primaries are told together and their replies are not waited for here: they are read once
     * {@value #UNREAD_NOTICES} of them are due, when the same connection is next used, or at
     * {@link #settle}. Each of those primaries saves its nodes.conf before it answers, and fsyncs it
     * when the target's new epoch reaches it over the bus at about the same moment: on a busy disk
     * that is tens of milliseconds per slot that the move need not wait for (the job's profile showed
     * these waits as its largest single share), since the target and the source own the slot's new
     * state already. Commands to one node keep their order (one connection per node), so a primary
     * hears of this slot before anything about the next.
     */
    void assign(int slot, String sourceId, String targetId, Progress progress) {
        assign(slot, sourceId, targetId, progress, false);
    }

    private void assign(int slot, String sourceId, String targetId, Progress progress, boolean overlapped) {
        String s = Integer.toString(slot);
        link(targetId).call("CLUSTER", "SETSLOT", s, "NODE", targetId);
        if (overlapped) {
            NodeConnection.Reply told = link(sourceId).send("CLUSTER", "SETSLOT", s, "NODE", targetId);
            synchronized (handovers) {
                handovers.add(new Handover(told, progress));
            }
        } else {
            try {
                link(sourceId).call("CLUSTER", "SETSLOT", s, "NODE", targetId);
            } catch (NodeCommandException e) {
                if (!e.replyStartsWith(ONLY_MASTERS)) {
                    throw e;
                }
            }
        }
        boolean many;
        synchronized (notices) {
            many = notices.size() >= UNREAD_NOTICES;
        }
        if (many) {
            settleNotices(progress);
        }
        for (NodeState n : cluster.snapshot().primaries()) {
            if (n.id().equals(sourceId) || n.id().equals(targetId) || !n.reached()) {
                continue;
            }
            try {
                NodeConnection.Reply reply = link(n.address()).send("CLUSTER", "SETSLOT", s, "NODE",
                        targetId);
                synchronized (notices) {
                    notices.add(new Notice(slot, n.address(), reply));
                }
            } catch (NodeCommandException e) {
                warnNotice(slot, n.address(), e, progress);
            }
        }
    }

    /**
     * This migrator's own connection to node {@code id}: a blocking one its threads read themselves
     * (see {@link ClusterConnections#direct}), opened on first use and again after it failed, closed
     * with the migrator. A slot move is a dozen round trips; each then wakes one thread, not three.
     */
    private NodeConnection link(String id) {
        return link(cluster.address(id));
    }

    private NodeConnection link(NodeAddress address) {
        return links.compute(address, (a, c) -> {
            if (c != null && c.isOpen()) {
                return c;
            }
            return cluster.connections().direct(a);
        });
    }

    /** Closes the migrator's connections (the end of a job's run). */
    @Override
    public void close() {
        links.values().forEach(NodeConnection::close);
        links.clear();
    }

    /**
     * Finishes the overlapped moves (their sources' answers) and then waits for the replies of the
     * SETSLOT NODE sent to other primaries so far (refusals are logged).
     */
    void settle(Progress progress) {
        settleHandovers();
        settleNotices(progress);
    }

    /** Reads the sources' answers of the overlapped moves so far; each move is then done, or failed. */
    private void settleHandovers() {
        for (Handover h : drain(handovers)) {
            try {
                h.told().await();
            } catch (RuntimeException e) {
                // ONLY_MASTERS: the source lost its last slot and turned replica (done all the same)
                if (!(e instanceof NodeCommandException n && n.replyStartsWith(ONLY_MASTERS))) {
                    h.progress().failed(e);
                    continue;
                }
            }
            h.progress().state(StepState.DONE);
        }
    }

    private void settleNotices(Progress progress) {
        for (Notice n : drain(notices)) {
            try {
                n.reply().await();
            } catch (NodeCommandException e) {
                warnNotice(n.slot(), n.address(), e, progress);
            }
        }
    }

    private static void warnNotice(int slot, NodeAddress address, NodeCommandException e, Progress progress) {
        if (!e.replyStartsWith(ONLY_MASTERS)) {
            progress.log("WARN", "SETSLOT " + slot + " NODE on " + address + " failed (" + e.getMessage()
                    + "); it will learn the owner from the cluster bus");
        }
    }

    /** What {@code pending} holds, taken out of it under its lock (replies are then read outside it). */
    private static <T> List<T> drain(List<T> pending) {
        synchronized (pending) {
            List<T> due = List.copyOf(pending);
            pending.clear();
            return due;
        }
    }

    /** An overlapped move's SETSLOT NODE to its source, the reply not yet read. */
    private record Handover(NodeConnection.Reply told, Progress progress) {
    }

    /** A SETSLOT NODE sent to a primary that is neither end of the move, its reply not yet read. */
    private record Notice(int slot, NodeAddress address, NodeConnection.Reply reply) {
    }

    /**
     * Migrates every key of {@code slot} from {@code source} to {@code target} in batches of the job's
     * size; {@code cold} is redis-cli's fix-time move (no slot states involved) where BUSYKEY always
     * replaces.
     */
    void migrateKeys(int slot, NodeConnection source, NodeAddress target, long bytesPerKeyEstimate, Progress progress,
                     boolean cold) throws InterruptedException {
        migrateKeys(slot, source, target, bytesPerKeyEstimate, progress, cold, source.send(getKeys(slot)));
    }

    /**
     * As above, the first batch's GETKEYSINSLOT already sent. Each MIGRATE goes out together with the
     * next GETKEYSINSLOT (the source answers it after the MIGRATE, so it lists what is left): one round
     * trip per batch, where redis-cli takes two. Once the slot is MIGRATING no key can be added to it
     * on the source (a write to a missing key is sent to the target), so the loop ends.
     */
    private void migrateKeys(int slot, NodeConnection source, NodeAddress target, long bytesPerKeyEstimate,
                             Progress progress, boolean cold, NodeConnection.Reply pendingKeys) throws InterruptedException {
        List<byte[]> keys = bulks(pendingKeys.await());
        while (!keys.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            long bytes = throttle.limitsBytes() ? memoryUsage(source, keys) : bytesPerKeyEstimate * keys.size();
            throttle.acquire(keys.size(), bytes);
            NodeConnection.Reply migrated = source.send(migrate(target, keys, false));
            NodeConnection.Reply next = source.send(getKeys(slot));
            try {
                migrated.await();
            } catch (NodeCommandException e) {
                // "ERR Target instance replied with error: BUSYKEY ...": matched anywhere, as redis-cli does
                if (e.reply() == null || !e.reply().contains("BUSYKEY")) {
                    throw e;
                }
                next.await(); // listed before the keys below went: read again once they have
                replaceBusy(slot, source, target, keys, cold, progress);
                next = source.send(getKeys(slot));
            }
            progress.moved(keys.size(), bytes);
            keys = bulks(next.await());
        }
    }

    /** BUSYKEY: redis-cli's rule (equal values, or {@code replace}, go again with REPLACE; else the step fails). */
    private void replaceBusy(int slot, NodeConnection source, NodeAddress target, List<byte[]> keys, boolean cold,
                             Progress progress) {
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

    private String[] getKeys(int slot) {
        return new String[]{"CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), Integer.toString(params.batchKeys())};
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

    /** MEMORY USAGE of every key, pipelined (one round trip for the batch). */
    private static long memoryUsage(NodeConnection source, List<byte[]> keys) {
        byte[] memory = "MEMORY".getBytes(StandardCharsets.UTF_8);
        byte[] usage = "USAGE".getBytes(StandardCharsets.UTF_8);
        List<NodeConnection.Reply> replies = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            replies.add(source.send(memory, usage, k));
        }
        long sum = 0;
        for (NodeConnection.Reply r : replies) {
            if (r.await() instanceof RespValue.Integer i) {
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
