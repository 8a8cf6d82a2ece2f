package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandGuard;
import io.rookery.protocol.command.CommandFlag;
import io.rookery.protocol.command.CommandSpec;

/**
 * While a script runs past busy-reply-threshold, every command but those flagged allow_busy
 * (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS, SHUTDOWN NOSAVE, ...) is answered BUSY, as Redis
 * does; SHUTDOWN without NOSAVE is refused too.
 */
final class BusyScriptGuard implements CommandGuard {
    private final ScriptRunner runner;
    private final Client scriptClient;

    BusyScriptGuard(ScriptRunner runner, Client scriptClient) {
        this.runner = runner;
        this.scriptClient = scriptClient;
    }

    @Override
    public String check(Client client, CommandSpec spec, byte[][] args) {
        ScriptRun busy = runner.busy();
        if (busy == null || client == scriptClient) {
            return null;
        }
        if (spec.has(CommandFlag.ALLOW_BUSY) && !(spec.name().equals("shutdown") && !noSave(args))) {
            return null;
        }
        return busy.evalMode
                ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                : "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    }

    private static boolean noSave(byte[][] args) {
        for (int i = 1; i < args.length; i++) {
            if (Args.is(args[i], "NOSAVE")) {
                return true;
            }
        }
        return false;
    }
}
