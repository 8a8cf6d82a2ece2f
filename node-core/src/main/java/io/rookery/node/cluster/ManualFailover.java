package io.rookery.node.cluster;

import io.rookery.protocol.cluster.bus.BusHeader;
import io.rookery.protocol.cluster.bus.BusMessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a manual failover ({@code CLUSTER FAILOVER} without FORCE/TAKEOVER, and the
 * {@code mf_*} part of FORCE), on both sides of the handover, as Redis's manual failover in
 * cluster.c:
 *
 * <ol>
 *   <li>the replica starts it (it aborts at {@link #TIMEOUT_MILLIS}) and sends MFSTART to its primary;</li>
 *   <li>the primary pauses writes for twice that time (clients wait, they are not refused), pings that
 *       replica every cron tick, and flags every message it sends PAUSED;</li>
 *   <li>the replica keeps the offset of the first PAUSED message from its primary, and once its own
 *       replication offset equals it, the failover may start: the election runs at once, with
 *       FORCEACK so primaries vote although ours is up;</li>
 *   <li>the primary unpauses when it becomes a replica of the winner (its clients are then
 *       redirected) or when the time is up; the replica gives up when the time is up.</li>
 * </ol>
 *
 * A forced failover skips steps 2-3 (it may start at once). No acknowledged write is lost by the
 * unforced one: the primary accepts nothing after the offset the replica waits for.
 */
final class ManualFailover {
    private static final Logger LOG = LoggerFactory.getLogger(ManualFailover.class);

    /** Redis's CLUSTER_MF_TIMEOUT: the replica gives up after this long. */
    static final long TIMEOUT_MILLIS = 5_000;
    /** Redis's CLUSTER_MF_PAUSE_MULT: the primary pauses writes for this many timeouts at most. */
    static final int PAUSE_MULTIPLIER = 2;

    private final Cluster cluster;
    private final ClusterNodeLinks node;
    private BusProtocol protocol;
    private BusMessages messages;

    /** When the failover under way aborts (0: none under way). */
    private long end;
    /** Replica side: the election may start. */
    private boolean canStart;
    /** Primary side: the replica we paused for. */
    private ClusterNode replica;
    /** Replica side: the primary's offset once it paused (-1: not known yet). */
    private long primaryOffset = -1;

    ManualFailover(Cluster cluster, ClusterNodeLinks node) {
        this.cluster = cluster;
        this.node = node;
    }

    void wire(BusProtocol protocol, BusMessages messages) {
        this.protocol = protocol;
        this.messages = messages;
    }

    /** A manual failover is under way (either side): messages are flagged PAUSED / FORCEACK. */
    boolean inProgress() {
        return end != 0;
    }

    /** Replica side: the election may run now (offsets matched, or FORCE). */
    boolean canStart() {
        return end != 0 && canStart;
    }

    /** Primary side: the replica being paused for, pinged every cron tick (null: none). */
    ClusterNode pausedFor() {
        return end != 0 ? replica : null;
    }

    /**
     * Redis's resetManualFailover: forgets any failover under way; a primary that paused its writes
     * for one resumes them (the postponed commands run, or are redirected if it is a replica now).
     */
    void reset() {
        if (replica != null) {
            node.unpauseWrites();
        }
        end = 0;
        canStart = false;
        replica = null;
        primaryOffset = -1;
    }

    /** CLUSTER FAILOVER [FORCE] on a replica: a new failover, ending in {@link #TIMEOUT_MILLIS}. */
    void start(long now, boolean force) {
        reset();
        end = now + TIMEOUT_MILLIS;
        if (force) {
            LOG.info("Forced failover user request accepted.");
            canStart = true;
            return;
        }
        LOG.info("Manual failover user request accepted.");
        ClusterNode primary = cluster.state().myself().primary();
        if (primary != null && primary.link != null) {
            protocol.send(primary.link, messages.empty(BusMessageType.MFSTART));
        }
    }

    /** TAKEOVER: marked as under way only for the flags of the messages it sends right away. */
    void startTakeover(long now) {
        reset();
        end = now + TIMEOUT_MILLIS;
    }

    /**
     * MFSTART from {@code sender} on {@code link}: accepted only from one of our replicas. Writes are
     * paused for twice the timeout and the replica is pinged at once, so it learns our offset.
     */
    void requested(ClusterNode sender, BusLink link, long now) {
        if (sender == null || sender.primary() != cluster.state().myself()) {
            return;
        }
        reset();
        end = now + TIMEOUT_MILLIS;
        replica = sender;
        node.pauseWrites(now + TIMEOUT_MILLIS * PAUSE_MULTIPLIER);
        LOG.info("Manual failover requested by replica {}.", sender.name());
        protocol.send(link, messages.ping(BusMessageType.PING, now));
    }

    /** A message from {@code sender}: our primary's first PAUSED one gives the offset to reach. */
    void heardFrom(ClusterNode sender, BusHeader h) {
        ClusterNode me = cluster.state().myself();
        if (end != 0 && me.isReplica() && me.primary() == sender && (h.messageFlags() & BusHeader.FLAG_PAUSED) != 0
                && primaryOffset == -1) {
            primaryOffset = h.offset();
            LOG.info("Received replication offset for paused master manual failover: {}", primaryOffset);
        }
    }

    /** Redis's manualFailoverCheckTimeout. */
    void checkTimeout(long now) {
        if (end != 0 && end < now) {
            LOG.info("Manual failover timed out.");
            reset();
        }
    }

    /**
     * Redis's clusterHandleManualFailover, on a replica: once our replication offset reached the
     * one the paused primary announced, the election may start. Returns true when that just happened.
     */
    boolean advance() {
        if (end == 0 || canStart || primaryOffset == -1) {
            return false;
        }
        if (primaryOffset == cluster.myReplicationOffset()) {
            canStart = true;
            LOG.info("All master replication stream processed, manual failover can start.");
            return true;
        }
        return false;
    }
}
