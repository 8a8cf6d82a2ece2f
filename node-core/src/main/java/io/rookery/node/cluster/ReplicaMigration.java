package io.rookery.node.cluster;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica migration, as Redis's {@code clusterCron} and {@code clusterHandleSlaveMigration} do it: a
 * primary that serves slots, used to have a replica ({@link ClusterNode#MIGRATE_TO}) and has no
 * working one left is orphaned; when some primary has at least two working replicas, one replica of
 * a primary with the most working replicas moves over — the one with the smallest node id, only if
 * its primary keeps more than {@code cluster-migration-barrier} working replicas, only while the
 * cluster is ok, after the primary has been orphaned for {@link #DELAY_MILLIS} (time for its own
 * replicas to report a failover), and never with {@code cluster-allow-replica-migration no}.
 */
final class ReplicaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMigration.class);
    /** Redis's CLUSTER_SLAVE_MIGRATION_DELAY. */
    static final long DELAY_MILLIS = 5000;

    private final Cluster cluster;
    private final ClusterEffects effects;

    ReplicaMigration(Cluster cluster, ClusterEffects effects) {
        this.cluster = cluster;
        this.effects = effects;
    }

    /** One cron pass: moves this replica to an orphaned primary when it is the one to go. */
    void tick(long now) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        if (!me.isReplica()) {
            return;
        }
        int orphaned = 0;
        int maxReplicas = 0;
        int myPrimaryReplicas = 0;
        for (ClusterNode n : state.nodes()) {
            if (n.has(ClusterNode.MYSELF | ClusterNode.NOADDR | ClusterNode.HANDSHAKE) || !n.isPrimary()
                    || n.has(ClusterNode.FAIL)) {
                continue;
            }
            int ok = workingReplicas(n);
            if (ok == 0 && n.slotCount() > 0 && n.has(ClusterNode.MIGRATE_TO)) {
                orphaned++;
            }
            maxReplicas = Math.max(maxReplicas, ok);
            if (me.primary() == n) {
                myPrimaryReplicas = ok;
            }
        }
        if (orphaned > 0 && maxReplicas >= 2 && myPrimaryReplicas == maxReplicas && cluster.settings().allowReplicaMigration()) {
            migrate(state, me, maxReplicas, now);
        }
    }

    private void migrate(ClusterState state, ClusterNode me, int maxReplicas, long now) {
        if (!state.ok()) {
            return;
        }
        ClusterNode myPrimary = me.primary();
        if (myPrimary == null) {
            return;
        }
        int stayers = 0;
        for (ClusterNode r : myPrimary.replicas()) {
            if (!r.has(ClusterNode.FAIL | ClusterNode.PFAIL)) {
                stayers++;
            }
        }
        if (stayers <= cluster.settings().migrationBarrier()) {
            return;
        }
        ClusterNode target = null;
        ClusterNode candidate = me;
        for (ClusterNode n : state.nodes()) {
            boolean isOrphaned = n.isPrimary() && !n.has(ClusterNode.FAIL) && n.has(ClusterNode.MIGRATE_TO);
            int ok = n.isPrimary() ? workingReplicas(n) : 0;
            if (ok > 0) {
                isOrphaned = false;
            }
            if (isOrphaned) {
                if (target == null && n.slotCount() > 0) {
                    target = n;
                }
                if (n.orphanedSince == 0) {
                    n.orphanedSince = now;
                }
            } else {
                n.orphanedSince = 0;
            }
            if (ok == maxReplicas) {
                for (ClusterNode r : List.copyOf(n.replicas())) {
                    if (r.name().compareTo(candidate.name()) < 0) {
                        candidate = r;
                    }
                }
            }
        }
        if (target != null && candidate == me && now - target.orphanedSince > DELAY_MILLIS) {
            LOG.warn("Migrating to orphaned master {}", target.name());
            effects.setMyPrimary(target);
        }
    }

    /** Redis's clusterCountNonFailingSlaves: replicas not flagged FAIL. */
    private static int workingReplicas(ClusterNode primary) {
        int ok = 0;
        for (ClusterNode r : primary.replicas()) {
            if (!r.has(ClusterNode.FAIL)) {
                ok++;
            }
        }
        return ok;
    }
}
