package io.rookery.node.scripting;

import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT; the logic lives in {@link Scripting}. */
public final class ScriptingCommands {
    private final Scripting scripting;

    public ScriptingCommands(Dispatcher dispatcher) {
        this.scripting = new Scripting(dispatcher);
    }

    public Scripting scripting() {
        return scripting;
    }

    public void register(CommandRegistry r) {
        r.register("eval", (c, a) -> scripting.eval(c, a, false, false))
                .register("evalsha", (c, a) -> scripting.eval(c, a, true, false))
                .register("eval_ro", (c, a) -> scripting.eval(c, a, false, true))
                .register("evalsha_ro", (c, a) -> scripting.eval(c, a, true, true))
                .register("script|load", (c, a) -> scripting.load(c, a[2]))
                .register("script|exists", scripting::exists)
                .register("script|flush", scripting::flush)
                .register("script|kill", (c, a) -> scripting.kill(c))
                .register("script|debug", (c, a) -> {
                    if (io.rookery.node.dispatch.Args.is(a[2], "NO")) {
                        c.reply().ok();
                    } else if (io.rookery.node.dispatch.Args.is(a[2], "YES") || io.rookery.node.dispatch.Args.is(a[2], "SYNC")) {
                        c.reply().error("ERR SCRIPT DEBUG is not supported by this server");
                    } else {
                        c.reply().error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
                    }
                })
                .register("script|help", (c, a) -> io.rookery.node.command.Help.reply(c.reply(), "SCRIPT", HELP));
    }

    private static final String[] HELP = {
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
    };
}
