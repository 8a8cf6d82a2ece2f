package io.rookery.node.scripting;

import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.command.Help;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.info.InfoReport;
import io.rookery.node.keyspace.Keyspace;
import java.util.function.Consumer;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL, FCALL_RO and FUNCTION; the logic lives in
 * {@link Scripting} and {@link Functions}, which share the client their commands run as.
 */
public final class ScriptingCommands {
    private static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    private static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

    private final Scripting scripting;
    private final Functions functions;

    private final ScriptRunner scripts;

    /**
     * @param loop       the command thread, which scripts hand their commands to
     * @param info       where scripting's INFO memory fields go
     * @param onShutdown registers the end of a running script when the node stops
     */
    public ScriptingCommands(Dispatcher dispatcher, EventLoop loop, NodeConfig config, Keyspace keyspace, InfoReport info,
                             DebugSwitches debugSwitches, Consumer<Runnable> onShutdown) {
        ScriptCommandRunner runner = new ScriptCommandRunner(dispatcher);
        runner.noscriptAllowed(debugSwitches::denyScriptsDisabled);
        ScriptThread thread = new ScriptThread(() -> loop);
        runner.thread(thread);
        this.scripts = new ScriptRunner(dispatcher, config, runner, thread);
        ScriptRandom random = new ScriptRandom(); // one math.random sequence for scripts and functions
        this.scripting = new Scripting(dispatcher, runner, scripts, random);
        this.functions = new Functions(dispatcher, runner, scripts, keyspace, random);
        ScriptCommandFlags gateFlags = new ScriptCommandFlags(scripting::flagsOfBody, scripting::flagsOfSha, functions::flagsOf);
        dispatcher.gateFlags(gateFlags::apply);
        dispatcher.stages().busyScript(new BusyScriptGuard(scripts, runner.client()));
        info.extend("memory", out -> {
            long eval = scripting.vmMemory();
            long fn = functions.vmMemory();
            long scripts = scripting.scriptBytes() + functions.codeBytes();
            out.field("used_memory_lua", eval)
                    .field("used_memory_vm_eval", eval)
                    .field("used_memory_lua_human", io.rookery.node.info.InfoWriter.human(eval))
                    .field("used_memory_scripts_eval", scripting.scriptBytes())
                    .field("number_of_cached_scripts", scripting.cachedScripts())
                    .field("number_of_functions", functions.functionCount())
                    .field("used_memory_vm_functions", fn)
                    .field("used_memory_vm_total", eval + fn)
                    .field("used_memory_vm_total_human", io.rookery.node.info.InfoWriter.human(eval + fn))
                    .field("used_memory_functions", functions.codeBytes())
                    .field("used_memory_scripts", scripts)
                    .field("used_memory_scripts_human", io.rookery.node.info.InfoWriter.human(scripts));
        });
        onShutdown.accept(() -> {
            ScriptRun run = scripts.running();
            if (run != null) {
                run.killRequested = true; // SHUTDOWN NOSAVE ends even a script that wrote
            }
        });
    }

    public Scripting scripting() {
        return scripting;
    }

    public Functions functions() {
        return functions;
    }

    public void register(CommandRegistry r) {
        r.register("eval", (c, a) -> scripting.eval(c, a, false, false))
                .register("evalsha", (c, a) -> scripting.eval(c, a, true, false))
                .register("eval_ro", (c, a) -> scripting.eval(c, a, false, true))
                .register("evalsha_ro", (c, a) -> scripting.eval(c, a, true, true))
                .register("script|load", (c, a) -> scripting.load(c, a[2]))
                .register("script|exists", scripting::exists)
                .register("script|flush", scripting::flush)
                .register("script|kill", (c, a) -> kill(c, true))
                .register("script|debug", (c, a) -> {
                    if (Args.is(a[2], "NO")) {
                        c.reply().ok();
                    } else if (Args.is(a[2], "YES") || Args.is(a[2], "SYNC")) {
                        c.reply().error("ERR SCRIPT DEBUG is not supported by this server");
                    } else {
                        c.reply().error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
                    }
                })
                .register("script|help", (c, a) -> Help.reply(c.reply(), "SCRIPT", SCRIPT_HELP))
                .register("fcall", (c, a) -> functions.fcall(c, a, false))
                .register("fcall_ro", (c, a) -> functions.fcall(c, a, true))
                .register("function|load", functions::load)
                .register("function|delete", (c, a) -> functions.delete(c, a[2]))
                .register("function|flush", functions::flush)
                .register("function|list", functions::list)
                .register("function|stats", (c, a) -> {
                    ScriptRun run = scripts.running();
                    if (run != null && run.evalMode) {
                        c.reply().error(BUSY_EVAL);
                        return;
                    }
                    functions.stats(c, run, run == null ? new byte[0][] : run.command);
                })
                .register("function|kill", (c, a) -> kill(c, false))
                .register("function|dump", (c, a) -> c.reply().bulk(FunctionDump.dump(functions)))
                .register("function|restore", (c, a) -> FunctionDump.restore(c, functions, a))
                .register("function|help", (c, a) -> Help.reply(c.reply(), "FUNCTION", FUNCTION_HELP));
    }

    /** SCRIPT KILL and FUNCTION KILL (Redis's scriptKill). */
    private void kill(Client c, boolean eval) {
        ScriptRun run = scripts.running();
        if (run == null) {
            c.reply().error("NOTBUSY No scripts in execution right now.");
            return;
        }
        if (run.writeDirty) {
            c.reply().error("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
            return;
        }
        if (eval && !run.evalMode) {
            c.reply().error(BUSY_FUNCTION);
            return;
        }
        if (!eval && run.evalMode) {
            c.reply().error(BUSY_EVAL);
            return;
        }
        run.killRequested = true;
        c.reply().ok();
    }

    private static final String[] SCRIPT_HELP = {
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    };

    private static final String[] FUNCTION_HELP = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Prints this help.",
    };
}
