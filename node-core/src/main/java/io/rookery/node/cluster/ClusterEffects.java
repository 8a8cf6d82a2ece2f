package io.rookery.node.cluster;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What follows from the bus's news beyond the cluster view itself: the config file and the ok/fail
 * state are refreshed once per cron tick after a change (as Redis's {@code clusterBeforeSleep}
 * does), slot ownership moves by config epoch (and may turn this node into a replica or drop keys
 * it no longer owns), messages are delivered to local subscribers, and forgotten nodes stay
 * forgotten for a minute so gossip does not bring them back.
 */
final class ClusterEffects {
    private static final long FORGET_TTL_MILLIS = 60_000;

    private final Cluster cluster;
    private final ClusterNodeLinks node;
    private final ManualFailover manualFailover;
    private final Map<String, Long> forgotten = new HashMap<>();
    private boolean saveDue;
    private boolean updateDue;

    ClusterEffects(Cluster cluster, ClusterNodeLinks node, ManualFailover manualFailover) {
        this.cluster = cluster;
        this.node = node;
        this.manualFailover = manualFailover;
    }

    void saveLater() {
        saveDue = true;
    }

    void updateStateLater() {
        updateDue = true;
    }

    /** Applies what was deferred: called at the end of each cron tick and after each command. */
    void flush() {
        if (updateDue) {
            updateDue = false;
            cluster.updateState();
        }
        if (saveDue) {
            saveDue = false;
            cluster.saveOrDie();
        }
    }

    void forget(String name, long now) {
        forgotten.put(name, now + FORGET_TTL_MILLIS);
    }

    boolean forgotten(String name, long now) {
        forgotten.values().removeIf(until -> until < now);
        return forgotten.containsKey(name);
    }

    /**
     * Redis's {@code clusterUpdateSlotsConfigWith}: {@code sender} claims {@code slots} at
     * {@code epoch}; every claimed slot that is unassigned or owned at a lower epoch (and not being
     * imported here) becomes the sender's. When that takes all of our primary's slots, this node
     * follows the sender as a replica; otherwise keys of slots we lost are deleted.
     */
    void takeSlots(ClusterNode sender, long epoch, BitSet slots) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        if (sender == me) {
            return;
        }
        ClusterNode myPrimary = me.isPrimary() ? me : me.primary();
        ClusterNode newPrimary = null;
        int senderSlots = 0;
        int migratedOurs = 0;
        BitSet lostWithKeys = new BitSet();
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            senderSlots++;
            ClusterNode owner = state.owner(s);
            if (owner == sender || state.importingFrom(s) != null) {
                continue;
            }
            if (owner == null || owner.configEpoch < epoch) {
                if (owner == me && cluster.keysBySlot().count(s) > 0) {
                    lostWithKeys.set(s);
                }
                if (owner != null && owner == myPrimary) {
                    newPrimary = sender;
                    migratedOurs++;
                }
                state.assign(s, sender);
                saveLater();
                updateStateLater();
            }
        }
        if (newPrimary != null && myPrimary != null && myPrimary.slotCount() == 0
                && (cluster.settings().allowReplicaMigration() || senderSlots == migratedOurs)) {
            setMyPrimary(sender);
        } else if (!lostWithKeys.isEmpty()) {
            for (int s = lostWithKeys.nextSetBit(0); s >= 0; s = lostWithKeys.nextSetBit(s + 1)) {
                node.deleteKeysInSlot(s);
            }
        }
    }

    /** A node that says it has no primary: a primary now (its replicas stay with it). */
    void setAsPrimary(ClusterNode n) {
        if (n.isPrimary()) {
            return;
        }
        if (n.primary() != null) {
            n.setPrimary(null);
            if (!n.isMyself()) {
                n.flags |= ClusterNode.MIGRATE_TO; // failed over a primary that had replicas
            }
        }
        n.flags &= ~ClusterNode.SLAVE;
        n.flags |= ClusterNode.MASTER;
        saveLater();
        updateStateLater();
    }

    /**
     * This node replicates {@code primary} from now on (CLUSTER REPLICATE, or its slots moved there);
     * a manual failover under way ends, and a primary paused for one resumes (Redis's clusterSetMaster).
     */
    void setMyPrimary(ClusterNode primary) {
        ClusterState state = cluster.state();
        ClusterNode me = state.myself();
        if (me.isPrimary()) {
            me.flags &= ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO);
            me.flags |= ClusterNode.SLAVE;
            for (int s = 0; s < ClusterState.SLOTS; s++) {
                state.migratingTo(s, null);
                state.importingFrom(s, null);
            }
        }
        me.setPrimary(primary);
        replicate(primary);
        manualFailover.reset();
        saveLater();
        updateStateLater();
    }

    void replicate(ClusterNode primary) {
        node.replicate(primary.ip, primary.port);
    }

    void deliver(byte[] channel, byte[] message, boolean sharded) {
        node.deliver(channel, message, sharded);
    }
}
