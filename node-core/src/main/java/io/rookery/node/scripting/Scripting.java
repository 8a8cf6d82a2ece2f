package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * EVAL, EVALSHA, their _RO forms and SCRIPT (Redis 7.0's eval.c over script.c): compiles a script
 * once into the {@link ScriptCache}, checks its shebang flags against the command, runs it with
 * KEYS and ARGV set, and converts its result for the caller.
 *
 * <p><b>Threading.</b> A script runs on the command thread, like every other command, so it is atomic
 * and its redis.call commands run exactly as the caller's would. A Lua count hook (every 100000
 * instructions, as Redis's luaMaskCountHook) checks a kill request and how long the script has run.
 * Because the command thread is also the event loop, other clients are not served (and so get no
 * BUSY reply) while a script runs; SCRIPT KILL therefore only answers NOTBUSY here. Serving BUSY
 * needs the script on its own thread with the keyspace handed over to it (see the report of the
 * scripting branch); not done yet.
 *
 * <p>Writes made by a script are propagated as their effects (each redis.call write replicates
 * itself; several are wrapped in MULTI/EXEC by the propagators), never as the EVAL itself.
 */
public final class Scripting {
    private static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    private static final int HOOK_INSTRUCTIONS = 100_000;

    private final Dispatcher dispatcher;
    private final ScriptCommandRunner runner;
    private final ScriptCache cache = new ScriptCache();
    private LuaEngine engine;
    private LuaReplies replies;
    private RedisApi api;
    private int runnerRef;
    private JFunction hook;
    private ScriptRun current;

    public Scripting(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.runner = new ScriptCommandRunner(dispatcher);
    }

    private LuaEngine engine() {
        if (engine == null) {
            start();
        }
        return engine;
    }

    /** Creates the interpreter (lazily: a node that never runs a script never loads the native library). */
    private void start() {
        LuaEngine[] holder = new LuaEngine[1];
        engine = new LuaEngine(e -> {
            holder[0] = e;
            replies = new LuaReplies(e);
            api = new RedisApi(e, replies, runner);
            api.register();
            BitLibrary.register(e);
        });
        Lua l = engine.lua();
        engine.load(("local xpcall, handler = xpcall, ...\n"
                + "return function(f) return xpcall(f, handler) end").getBytes(StandardCharsets.US_ASCII), "=runner");
        engine.pushErrorHandler();
        try {
            l.pCall(1, 1);
        } catch (LuaException e) {
            throw new IllegalStateException(e);
        }
        runnerRef = l.ref();
        hook = BitLibrary.guarded(engine, lua -> {
            ScriptRun r = current;
            if (r != null && r.killRequested) {
                replies.pushErrorTable(lua, "Script killed by user with SCRIPT KILL...", false);
                return -1;
            }
            return 0;
        });
    }

    // ---------------------------------------------------------------- EVAL / EVALSHA

    public void eval(Client c, byte[][] a, boolean bySha, boolean readOnlyCommand) {
        long numkeys = Args.integer(a[2]);
        if (numkeys > a.length - 3) {
            c.reply().error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0) {
            c.reply().error("ERR Number of keys can't be negative");
            return;
        }
        engine();
        ScriptCache.Script script;
        if (bySha) {
            script = a[1].length == 40 ? cache.get(ScriptCache.lower(a[1])) : null;
            if (script == null) {
                c.reply().error(NOSCRIPT);
                return;
            }
        } else {
            script = cache.get(ScriptCache.sha1hex(a[1]));
            if (script == null) {
                script = compile(c, a[1]);
                if (script == null) {
                    return;
                }
            }
        }
        ShebangFlags flags = script.flags();
        if (!flags.compat() && !flags.noWrites() && readOnlyCommand) {
            c.reply().error("ERR Can not execute a script with write flag using *_ro command.");
            return;
        }
        boolean readOnly = readOnlyCommand || !flags.compat() && flags.noWrites();
        boolean allowOom = !flags.compat() && flags.allowOom();
        ScriptRun run = new ScriptRun(c, script.sha(), true, readOnly, allowOom);
        RespValue reply = run(run, script, a, (int) numkeys);
        LuaReplies.write(c.reply(), reply);
        dispatcher.propagation().suppress(); // the effects propagated themselves
    }

    /** Compiles {@code body} into the cache; replies the error and returns null when it does not compile. */
    private ScriptCache.Script compile(Client c, byte[] body) {
        ShebangFlags flags;
        try {
            flags = ShebangFlags.parse(body);
        } catch (IllegalArgumentException e) {
            c.reply().error("ERR " + e.getMessage());
            return null;
        }
        byte[] code = java.util.Arrays.copyOfRange(body, flags.shebangLength(), body.length);
        Lua l = engine.lua();
        try {
            engine.loadScript(code, "@user_script");
        } catch (LuaException e) {
            c.reply().error("ERR Error compiling script (new function): " + e.getMessage());
            return null;
        }
        ScriptCache.Script s = new ScriptCache.Script(ScriptCache.sha1hex(body), body, flags, l.ref());
        cache.put(s);
        return s;
    }

    private RespValue run(ScriptRun run, ScriptCache.Script script, byte[][] a, int numkeys) {
        Lua l = engine.lua();
        int top = l.getTop();
        current = run;
        api.begin(run);
        runner.begin(run.caller);
        try {
            pushArray(a, 3, numkeys);
            engine.setRealGlobal("KEYS");
            pushArray(a, 3 + numkeys, a.length - 3 - numkeys);
            engine.setRealGlobal("ARGV");
            setHook(true);
            l.refGet(runnerRef);
            l.refGet(script.functionRef());
            try {
                l.pCall(1, 2);
            } catch (LuaException e) {
                return new RespValue.Error("ERR Error running script " + script.sha() + ", " + e.getMessage());
            }
            if (l.toBoolean(-2)) {
                return replies.toReply(l, run.resp);
            }
            return errorReply(l, script.sha());
        } finally {
            setHook(false);
            api.end();
            current = null;
            l.setTop(top);
        }
    }

    /** The error a failed script replies, as luaCallFunction builds it from the error handler's table. */
    private static RespValue errorReply(Lua l, String name) {
        if (l.type(-1) != Lua.LuaType.TABLE) {
            String msg = l.type(-1) == Lua.LuaType.STRING ? new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8)
                    : "execution failure";
            return new RespValue.Error("ERR Error running script " + name + ", " + msg);
        }
        String msg = field(l, "err");
        String source = field(l, "source");
        String line = field(l, "line");
        StringBuilder sb = new StringBuilder(msg == null ? "" : msg);
        if (line != null && source != null) {
            sb.append(" script: ").append(name).append(", on ").append(source).append(':').append(line).append('.');
        }
        return new RespValue.Error(sb.toString());
    }

    private static String field(Lua l, String name) {
        l.push(name);
        l.rawGet(-2);
        String v = null;
        if (l.type(-1) == Lua.LuaType.STRING || l.type(-1) == Lua.LuaType.NUMBER) {
            v = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
        }
        l.pop(1);
        return v;
    }

    private void pushArray(byte[][] a, int from, int n) {
        Lua l = engine.lua();
        l.createTable(n, 0);
        for (int i = 0; i < n; i++) {
            engine.pushBytes(a[from + i]);
            l.rawSetI(-2, i + 1);
        }
    }

    private void setHook(boolean on) {
        engine.setHook(on ? hook : null, "", HOOK_INSTRUCTIONS);
    }

    // ---------------------------------------------------------------- SCRIPT

    public void load(Client c, byte[] body) {
        engine();
        String sha = ScriptCache.sha1hex(body);
        if (cache.get(sha) == null && compile(c, body) == null) {
            return;
        }
        c.reply().bulk(sha);
    }

    public void exists(Client c, byte[][] a) {
        c.reply().array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            c.reply().integer(a[i].length == 40 && cache.get(ScriptCache.lower(a[i])) != null ? 1 : 0);
        }
    }

    public void flush(Client c, byte[][] a) {
        if (a.length > 3 || a.length == 3 && !Args.is(a[2], "SYNC") && !Args.is(a[2], "ASYNC")) {
            c.reply().error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
        cache.clear();
        c.reply().ok();
    }

    public void kill(Client c) {
        ScriptRun r = current;
        if (r == null) {
            c.reply().error("NOTBUSY No scripts in execution right now.");
            return;
        }
        if (r.writeDirty) {
            c.reply().error("UNKILLABLE Sorry the script already executed write commands against the dataset. "
                    + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
            return;
        }
        r.killRequested = true;
        c.reply().ok();
    }

    /** For INFO memory: used_memory_scripts_eval and number_of_cached_scripts. */
    public int cachedScripts() {
        return cache.size();
    }
}
