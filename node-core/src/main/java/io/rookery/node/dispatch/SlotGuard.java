package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * The cluster stage of the gate: whether this node serves the keys of a command, or the redirect
 * (MOVED, ASK, TRYAGAIN, CROSSSLOT, CLUSTERDOWN) to reply instead. Cluster mode implements it with
 * Redis's {@code getNodeByQuery} rules; a node with cluster mode off uses {@link #CLUSTER_DISABLED}.
 */
@FunctionalInterface
public interface SlotGuard {
    /** Cluster mode off: every key is served here. */
    SlotGuard CLUSTER_DISABLED = (client, spec, args) -> null;

    /** The error to reply (e.g. {@code MOVED 3999 127.0.0.1:6381}), or null when the keys are served here. */
    String redirect(Client client, CommandSpec spec, byte[][] args);

    /**
     * Where a script's redis.call of {@code args} may run, for a script run by {@code caller} (its
     * READONLY and ASKING state count): a refusal in Redis's script words ({@code Script attempted
     * to access a non local key in a cluster node}, ...), or the slot of its keys (-1 without keys)
     * when they are served here. Cluster mode off: every key is local.
     */
    default ScriptRoute scriptRoute(Client caller, CommandSpec spec, byte[][] args) {
        return ScriptRoute.NO_KEYS;
    }

    /** The answer of {@link #scriptRoute}: an error to raise in the script, or the keys' slot. */
    record ScriptRoute(String error, int slot) {
        public static final ScriptRoute NO_KEYS = new ScriptRoute(null, -1);
    }
}
