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
}
