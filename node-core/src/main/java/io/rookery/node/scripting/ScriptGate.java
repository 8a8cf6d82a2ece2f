package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Dispatcher;

/**
 * The checks a script's declared flags meet before it runs (Redis's scriptPrepareForRun). A script
 * without a shebang (compatibility mode) skips them; one with {@code no-cluster} does not run in
 * cluster mode; one without {@code no-writes} may not run
 * through a *_RO command, nor on a read-only replica or when writes are refused (MISCONF,
 * NOREPLICAS); one without {@code allow-oom} or {@code no-writes} does not run over maxmemory.
 */
final class ScriptGate {
    private ScriptGate() {
    }

    /** The error to reply instead of running, or null. */
    static String refusal(Dispatcher dispatcher, Client caller, ShebangFlags flags, boolean readOnlyCommand) {
        if (flags.compat()) {
            return null;
        }
        if (flags.noCluster() && dispatcher.stages().clusterEnabled()) {
            return "ERR Can not run script on cluster, 'no-cluster' flag is set.";
        }
        if (!flags.noWrites()) {
            String state = dispatcher.refusal(caller, WRITE_SPEC, new byte[][] {WRITE_SPEC_NAME});
            if (state != null && state.startsWith("READONLY")) {
                return "READONLY Can not run script with write flag on readonly replica";
            }
            if (state != null && state.startsWith("MISCONF")) {
                return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
                        + "Writable scripts are blocked. Use 'no-writes' flag for read only scripts.";
            }
            if (readOnlyCommand) {
                return "ERR Can not execute a script with write flag using *_ro command.";
            }
            if (state != null && state.startsWith("NOREPLICAS")) {
                return state;
            }
        }
        if (!flags.allowOom() && !flags.noWrites()) {
            String state = dispatcher.refusal(caller, DENYOOM_SPEC, new byte[][] {WRITE_SPEC_NAME});
            if (state != null && state.startsWith("OOM")) {
                return "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
            }
        }
        return null;
    }

    private static final byte[] WRITE_SPEC_NAME = "eval".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** A stand-in spec for "a write command" when asking the node's state guards. */
    private static final io.rookery.protocol.command.CommandSpec WRITE_SPEC = spec(
            io.rookery.protocol.command.CommandFlag.WRITE.bit());
    private static final io.rookery.protocol.command.CommandSpec DENYOOM_SPEC = spec(
            io.rookery.protocol.command.CommandFlag.WRITE.bit() | io.rookery.protocol.command.CommandFlag.DENYOOM.bit());

    private static io.rookery.protocol.command.CommandSpec spec(int flags) {
        return new io.rookery.protocol.command.CommandSpec("eval", -3, flags, 0, 0, 0, java.util.List.of(),
                "scripting", "2.6.0", "", "", java.util.Map.of());
    }
}
