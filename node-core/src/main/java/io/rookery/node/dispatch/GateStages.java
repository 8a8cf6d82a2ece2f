package io.rookery.node.dispatch;

import io.rookery.node.client.Client;
import io.rookery.protocol.command.CommandSpec;

/**
 * The stages of the gate, declared in one place. Every command passes them in this order, and the
 * first that refuses answers:
 *
 * <ol>
 *   <li>known command ({@code ERR unknown command}, unknown subcommand) — in the {@link Dispatcher};</li>
 *   <li>arity ({@code ERR wrong number of arguments}) — in the Dispatcher;</li>
 *   <li>auth ({@code NOAUTH}) — in the Dispatcher;</li>
 *   <li>{@linkplain #clusterSlot cluster slot} (MOVED/ASK), {@link SlotGuard#CLUSTER_DISABLED} until
 *       cluster mode plugs in;</li>
 *   <li>state, in this order: {@linkplain #subscribedContext subscribed context} (RESP2),
 *       {@linkplain #outOfMemory OOM}, {@linkplain #loading loading}, {@linkplain #misconf MISCONF},
 *       {@linkplain #staleData stale data} (MASTERDOWN), {@linkplain #readOnlyReplica read-only replica},
 *       {@linkplain #minReplicas min-replicas} (NOREPLICAS), {@linkplain #protectedCommand protected
 *       command} (DEBUG without enable-debug-command; Redis asks this one right after arity),
 *       {@linkplain #busyScript busy script} (BUSY while a script runs past busy-reply-threshold);</li>
 *   <li>CLIENT PAUSE (the command is postponed, not refused) — in the Dispatcher;</li>
 *   <li>MULTI queueing — the {@link MultiQueue};</li>
 *   <li>the handler.</li>
 * </ol>
 *
 * Each stage is a named slot that a subsystem fills when the node is assembled; an empty slot lets
 * every command through. The state order is the one Rookery has always used (which differs from
 * Redis's {@code processCommand} only in which error wins when several apply). The cluster redirect
 * comes before the state checks, as in Redis: a write sent to a replica is MOVED, not READONLY.
 */
public final class GateStages {
    private CommandGuard subscribedContext = CommandGuard.PASS;
    private CommandGuard outOfMemory = CommandGuard.PASS;
    private CommandGuard loading = CommandGuard.PASS;
    private CommandGuard misconf = CommandGuard.PASS;
    private CommandGuard staleData = CommandGuard.PASS;
    private CommandGuard readOnlyReplica = CommandGuard.PASS;
    private CommandGuard minReplicas = CommandGuard.PASS;
    private CommandGuard protectedCommand = CommandGuard.PASS;
    private CommandGuard busyScript = CommandGuard.PASS;
    private SlotGuard clusterSlot = SlotGuard.CLUSTER_DISABLED;

    /** Only (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET in RESP2 subscribed context. */
    public void subscribedContext(CommandGuard guard) {
        this.subscribedContext = guard;
    }

    /** {@code -OOM} for denyoom commands over maxmemory when eviction cannot make room. */
    public void outOfMemory(CommandGuard guard) {
        this.outOfMemory = guard;
    }

    /** {@code -LOADING} while the dataset is being loaded. */
    public void loading(CommandGuard guard) {
        this.loading = guard;
    }

    /** {@code -MISCONF} for writes while the last background save or AOF write failed. */
    public void misconf(CommandGuard guard) {
        this.misconf = guard;
    }

    /** {@code -MASTERDOWN} on a replica whose link is down with replica-serve-stale-data no. */
    public void staleData(CommandGuard guard) {
        this.staleData = guard;
    }

    /** {@code -READONLY} for writes on a read-only replica. */
    public void readOnlyReplica(CommandGuard guard) {
        this.readOnlyReplica = guard;
    }

    /** {@code -NOREPLICAS} for writes with fewer good replicas than min-replicas-to-write. */
    public void minReplicas(CommandGuard guard) {
        this.minReplicas = guard;
    }

    /** Commands that a protected switch disables (DEBUG under enable-debug-command no|local). */
    public void protectedCommand(CommandGuard guard) {
        this.protectedCommand = guard;
    }

    /** {@code -BUSY} for other clients while a script runs past busy-reply-threshold. */
    public void busyScript(CommandGuard guard) {
        this.busyScript = guard;
    }

    /** Cluster routing: MOVED/ASK when the keys are not served here. */
    public void clusterSlot(SlotGuard guard) {
        this.clusterSlot = guard;
    }

    /** The state stage: the first refusal of its checks, in order, or null. */
    String stateError(Client client, CommandSpec spec, byte[][] args) {
        String error = subscribedContext.check(client, spec, args);
        if (error == null) {
            error = outOfMemory.check(client, spec, args);
        }
        if (error == null) {
            error = loading.check(client, spec, args);
        }
        if (error == null) {
            error = misconf.check(client, spec, args);
        }
        if (error == null) {
            error = staleData.check(client, spec, args);
        }
        if (error == null) {
            error = readOnlyReplica.check(client, spec, args);
        }
        if (error == null) {
            error = minReplicas.check(client, spec, args);
        }
        if (error == null) {
            error = protectedCommand.check(client, spec, args);
        }
        if (error == null) {
            error = busyScript.check(client, spec, args);
        }
        return error;
    }

    /** Whether cluster mode plugged its slot guard in. */
    public boolean clusterEnabled() {
        return clusterSlot != SlotGuard.CLUSTER_DISABLED;
    }

    /** The cluster stage for a script's redis.call (see {@link SlotGuard#scriptRoute}). */
    public SlotGuard.ScriptRoute scriptRoute(Client caller, CommandSpec spec, byte[][] args) {
        return clusterSlot.scriptRoute(caller, spec, args);
    }

    /** The cluster stage: the redirect to reply, or null. */
    String slotRedirect(Client client, CommandSpec spec, byte[][] args) {
        return clusterSlot.redirect(client, spec, args);
    }
}
