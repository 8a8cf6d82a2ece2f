package io.rookery.node.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.dispatch.Command;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RespReader;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Runs the commands of redis.call/pcall through the node's own command path (the command table and
 * handlers, with stats, slow log, MONITOR and propagation, as EXEC runs its queue) for a detached
 * client, after Redis's script rules (script.c scriptCall): known command, arity, not {@code noscript},
 * no writes from read-only scripts, the node's state guards (OOM, MISCONF, READONLY replica) before
 * the first write. Blocking commands do not block (the client counts as inside EXEC).
 */
final class ScriptCommandRunner {
    private final Dispatcher dispatcher;
    private final Client client;
    private final RespReader reader = new RespReader();

    ScriptCommandRunner(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.client = new Client(-1, new DetachedConnection("lua"), UnpooledByteBufAllocator.DEFAULT, System.currentTimeMillis());
        this.client.authenticated = true;
        this.client.inExec = true;
        this.client.scriptClient = true;
        this.client.name = "";
    }

    /** The client the scripts' commands run as. */
    Client client() {
        return client;
    }

    /** Prepares for a run by {@code caller}: its database, RESP2 replies. */
    void begin(Client caller) {
        client.db = caller.db;
    }

    private ScriptThread thread;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may run commands flagged noscript. */
    private java.util.function.BooleanSupplier noscriptAllowed = () -> false;

    void noscriptAllowed(java.util.function.BooleanSupplier allowed) {
        this.noscriptAllowed = allowed;
    }

    void thread(ScriptThread thread) {
        this.thread = thread;
    }

    /** Why scriptCall would refuse this command before running it, in Redis's order; null to run it. */
    private String refusal(ScriptRun run, CommandSpec spec, byte[][] args) {
        if (!spec.arityAccepts(args.length)) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        if (spec.has(CommandFlag.NOSCRIPT) && !noscriptAllowed.getAsBoolean()) {
            return "ERR This Redis command is not allowed from script";
        }
        if (run.caller != null) {
            String denied = dispatcher.acl().scriptError(run.caller, spec, args);
            if (denied != null) {
                return denied;
            }
        }
        if (run.readOnly && (spec.isWrite() || spec.has(CommandFlag.MAY_REPLICATE))) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        if (spec.isWrite() && !run.writeDirty || spec.has(CommandFlag.DENYOOM) && !run.writeDirty) {
            String state = dispatcher.refusal(client, spec, args);
            if (state != null && !(state.startsWith("OOM") && (run.allowOom || !spec.has(CommandFlag.DENYOOM)))) {
                return state;
            }
        }
        return null;
    }

    /**
     * Redis's scriptVerifyClusterState, the last check of scriptCall: in cluster mode the command's
     * keys must be served here, and (unless the script may cross slots) hash to the slot of the
     * script's keys so far.
     */
    private String clusterRefusal(ScriptRun run, CommandSpec spec, byte[][] args) {
        io.rookery.node.dispatch.SlotGuard.ScriptRoute route = dispatcher.stages().scriptRoute(run.caller, spec, args);
        if (route.error() != null) {
            return route.error();
        }
        if (route.slot() != -1 && !run.allowCrossSlot) {
            if (run.slot == -1) {
                run.slot = route.slot();
            } else if (run.slot != route.slot()) {
                return "ERR Script attempted to access keys that do not hash to the same slot";
            }
        }
        return null;
    }

    /** Runs one redis.call, on the command thread when the script has timed out (see {@link ScriptThread}). */
    RespValue run(ScriptRun run, byte[][] args) {
        return thread == null ? execute(run, args) : thread.onNode(run, () -> execute(run, args));
    }

    /**
     * redis.acl_check_cmd: whether the script's caller may run {@code args} (its user's command, key
     * and channel permissions); null when the command is unknown.
     */
    Boolean aclAllows(ScriptRun run, byte[][] args) {
        CommandSpec spec = lookup(args);
        if (spec == null) {
            return null;
        }
        return dispatcher.acl().check(run.caller == null ? io.rookery.node.acl.AclUsers.DEFAULT : run.caller.user,
                spec, args) == null;
    }

    /** The spec of a command line, the subcommand's for a container; null when unknown. */
    private CommandSpec lookup(byte[][] args) {
        CommandSpec spec = dispatcher.registry().table().lookup(args[0]);
        if (spec != null && spec.isContainer()) {
            spec = args.length > 1
                    ? spec.subcommands().get(new String(args[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))
                    : null;
        }
        return spec;
    }

    private RespValue execute(ScriptRun run, byte[][] args) {
        CommandSpec spec = lookup(args);
        Command command = spec == null ? null : dispatcher.registry().get(spec);
        if (command == null) {
            dispatcher.countErrorReply("ERR");
            return new RespValue.Error("ERR Unknown Redis command called from script");
        }
        String refusal = refusal(run, spec, args);
        if (refusal != null) {
            dispatcher.countErrorReply(refusal);
            command.countRejected();
            return new RespValue.Error(refusal);
        }
        if (spec.isWrite()) {
            run.writeDirty = true;
        }
        String nonLocal = clusterRefusal(run, spec, args);
        if (nonLocal != null) {
            dispatcher.countErrorReply(nonLocal);
            command.countRejected();
            return new RespValue.Error(nonLocal);
        }
        client.protocol(run.resp);
        dispatcher.propagation().targets(run.repl); // redis.set_repl: where this command's effects go
        try {
            dispatcher.call(client, command, args);
        } finally {
            dispatcher.propagation().targets(io.rookery.node.dispatch.Propagator.AOF | io.rookery.node.dispatch.Propagator.REPLICAS);
        }
        ByteBuf out = client.takeOutput();
        if (out == null) {
            return new RespValue.Null();
        }
        try {
            RespValue v = reader.read(out);
            return v == null ? new RespValue.Null() : v;
        } catch (ProtocolException e) {
            return new RespValue.Error("ERR " + e.getMessage());
        } finally {
            out.release();
        }
    }
}
