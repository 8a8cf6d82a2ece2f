package io.rookery.node.cluster;

import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.dispatch.SlotGuard;
import io.rookery.node.keyspace.Database;
import io.rookery.protocol.cluster.SlotHash;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.util.Arrays;

/**
 * The cluster stage of the gate, with Redis 7.0's {@code getNodeByQuery} rules: all keys of a command
 * must hash to one slot (CROSSSLOT); an unassigned slot or a cluster that is down refuses
 * (CLUSTERDOWN, reads allowed when {@code cluster-allow-reads-when-down}); a slot being migrated out
 * sends clients of keys no longer here to the target (ASK), or asks for a retry when only some keys
 * are (TRYAGAIN); a slot being imported serves clients that said ASKING; READONLY clients read from a
 * replica of the slot's owner; any other slot of another node is MOVED.
 *
 * <p>Commands without keys, and the node's own pseudo-clients (the primary's stream, AOF loading,
 * scripts) pass. The ASKING flag lasts for one command, outside MULTI, as in Redis.
 */
public final class ClusterSlotGuard implements SlotGuard {
    private final Cluster cluster;
    private final Database db;

    public ClusterSlotGuard(Cluster cluster, Database db) {
        this.cluster = cluster;
        this.db = db;
    }

    /**
     * The redirect to reply, or null when this node serves the command; tells the slot statistics which
     * slot a served command is for and counts the redirects by kind.
     */
    @Override
    public String redirect(Client client, CommandSpec spec, byte[][] args) {
        String redirect = route(client, spec, args);
        if (redirect != null) {
            cluster.slotStats().admitted(-1, args);
            cluster.stats().redirected(redirect);
        }
        return redirect;
    }

    private String route(Client client, CommandSpec spec, byte[][] args) {
        boolean asking = client.clusterAsking;
        client.clusterAskingThisCommand = asking;
        if (!client.inMulti && !spec.name().equals("asking")) {
            client.clusterAsking = false;
        }
        if (client.connection() instanceof DetachedConnection) {
            cluster.slotStats().admitted(-1, args);
            return null;
        }
        int[] slot = {-1};
        String redirect = route(asking, client.clusterReadOnly, spec, args, slot);
        if (redirect == null) {
            cluster.slotStats().admitted(slot[0], args);
        }
        return redirect;
    }

    /**
     * Redis's scriptVerifyClusterState: the caller's READONLY and ASKING apply; a key this node does
     * not serve (moved, asked, cross-slot, unassigned) is "non local"; a down cluster refuses in its
     * own words. Commands from the primary's stream or AOF loading are never refused.
     */
    @Override
    public ScriptRoute scriptRoute(Client caller, CommandSpec spec, byte[][] args) {
        if (caller == null || caller.connection() instanceof DetachedConnection) {
            return ScriptRoute.NO_KEYS;
        }
        int[] slot = {-1};
        String error = route(caller.clusterAskingThisCommand, caller.clusterReadOnly, spec, args, slot);
        if (error == null) {
            return new ScriptRoute(null, slot[0]);
        }
        if (error.equals(DOWN)) {
            return new ScriptRoute("ERR Script attempted to execute a command while the cluster is down", -1);
        }
        if (error.equals(DOWN_READ_ONLY)) {
            return new ScriptRoute("ERR Script attempted to execute a write command while the cluster is down and readonly", -1);
        }
        return new ScriptRoute("ERR Script attempted to access a non local key in a cluster node", -1);
    }

    private static final String DOWN = "CLUSTERDOWN The cluster is down";
    private static final String DOWN_READ_ONLY = "CLUSTERDOWN The cluster is down and only accepts read commands";

    /**
     * getNodeByQuery: the redirect for a command with the client's ASKING and READONLY state, or null
     * when it runs here; {@code slotOut[0]}, when given, receives the keys' slot once it is known to
     * be served (after the down checks), as Redis returns its hashslot.
     */
    private String route(boolean asking, boolean readOnly, CommandSpec spec, byte[][] args, int[] slotOut) {
        int[] positions = spec.keyPositions(args);
        if (positions.length == 0) {
            return null;
        }
        ClusterState state = cluster.state();
        int slot = -1;
        byte[] firstKey = null;
        boolean multipleKeys = false;
        int missing = 0;
        int existing = 0;
        boolean migrating = false;
        boolean importing = false;
        for (int p : positions) {
            byte[] key = args[p];
            int s = SlotHash.slot(key);
            if (firstKey == null) {
                firstKey = key;
                slot = s;
                if (state.owner(s) == null) {
                    return "CLUSTERDOWN Hash slot not served";
                }
                migrating = state.owner(s) == state.myself() && state.migratingTo(s) != null;
                importing = !migrating && state.importingFrom(s) != null;
            } else if (s != slot) {
                return "CROSSSLOT Keys in request don't hash to the same slot";
            } else if (!Arrays.equals(firstKey, key)) {
                multipleKeys = true;
            }
            if ((migrating || importing) && db.peek(key) == null) {
                missing++;
            } else {
                existing++;
            }
        }
        if (!state.ok()) {
            if (!cluster.settings().allowReadsWhenDown()) {
                return DOWN;
            }
            if (spec.isWrite()) {
                return DOWN_READ_ONLY;
            }
        }
        if (slotOut != null) {
            slotOut[0] = slot;
        }
        if ((migrating || importing) && spec.name().equals("migrate")) {
            return null;
        }
        if (migrating && missing > 0) {
            return existing > 0 ? "TRYAGAIN Multiple keys request during rehashing of slot"
                    : "ASK " + slot + " " + endpoint(state.migratingTo(slot));
        }
        if (importing && (asking || spec.has(CommandFlag.ASKING))) {
            if (multipleKeys && missing > 0) {
                return "TRYAGAIN Multiple keys request during rehashing of slot";
            }
            return null;
        }
        ClusterNode owner = state.owner(slot);
        ClusterNode me = state.myself();
        if (owner == me || readOnly && !spec.isWrite() && me.isReplica() && me.primary() == owner) {
            return null;
        }
        return "MOVED " + slot + " " + endpoint(owner);
    }

    /** {@code host:port} with the endpoint type clients are told to use. */
    private String endpoint(ClusterNode n) {
        return n.preferredEndpoint(cluster.settings().preferredEndpointType()) + ":" + n.port();
    }
}
