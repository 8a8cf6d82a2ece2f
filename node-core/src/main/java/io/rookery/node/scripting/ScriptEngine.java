package io.rookery.node.scripting;

import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * A Lua interpreter with the redis API, able to run a compiled script (EVAL: KEYS and ARGV as
 * globals) or a registered function (FCALL: keys and args as its two arguments) under Redis's
 * error handler, and to convert the result. A count hook every 100000 instructions (Redis's
 * luaMaskCountHook) ends a run whose kill was requested, and keeps raising on every line afterwards
 * so a pcall cannot swallow the kill.
 */
final class ScriptEngine implements AutoCloseable {
    private static final int HOOK_INSTRUCTIONS = 100_000;

    private final LuaEngine engine;
    private final LuaReplies replies;
    private final RedisApi api;
    private final int evalRunnerRef;
    private final int functionRunnerRef;
    private final JFunction hook;
    private final JFunction killHook;
    private volatile ScriptRun current;
    private static final int GC_PERIOD = 50;
    private long runs;

    ScriptEngine(ScriptCommandRunner runner, JFunction registerFunction, ScriptRandom random) {
        LuaReplies[] r = new LuaReplies[1];
        RedisApi[] a = new RedisApi[1];
        this.engine = new LuaEngine(e -> {
            r[0] = new LuaReplies(e);
            a[0] = new RedisApi(e, r[0], runner, random);
            a[0].register();
            BitLibrary.register(e);
            StructLibrary.register(e);
            CjsonLibrary.register(e);
            CmsgpackLibrary.register(e);
        }, registerFunction);
        this.replies = r[0];
        this.api = a[0];
        Lua l = engine.lua();
        killHook = BitLibrary.guarded(engine, lua -> {
            replies.pushErrorTable(lua, "Script killed by user with SCRIPT KILL...", false);
            return -1;
        });
        hook = BitLibrary.guarded(engine, lua -> {
            ScriptRun run = current;
            if (run != null && run.killRequested) {
                engine.setHook(killHook, "l", 0);
                replies.pushErrorTable(lua, "Script killed by user with SCRIPT KILL...", false);
                return -1;
            }
            if (run != null) {
                run.tick();
            }
            return 0;
        });
        // One call from Java per run: the runner sets KEYS and ARGV, arms the count hook and calls the
        // script under the error handler (a tail call, so no Lua line of the runner follows the script).
        evalRunnerRef = runner("local xpcall, handler, sethook, hook, lib = xpcall, ...\n"
                + "return function(f, keys, argv) lib.KEYS = keys lib.ARGV = argv "
                + "sethook(hook, '', " + HOOK_INSTRUCTIONS + ") return xpcall(f, handler) end");
        functionRunnerRef = runner("local xpcall, handler, sethook, hook = xpcall, ...\n"
                + "return function(f, keys, args) sethook(hook, '', " + HOOK_INSTRUCTIONS + ") "
                + "return xpcall(function() return f(keys, args) end, handler) end");
        l.setTop(0);
    }

    private int runner(String source) {
        Lua l = engine.lua();
        engine.load(source.getBytes(StandardCharsets.US_ASCII), "=runner");
        engine.pushErrorHandler();
        engine.pushSethook();
        l.push(hook);
        engine.pushRealGlobals(); // no __newindex there: plain assignments set KEYS and ARGV
        try {
            l.pCall(4, 1);
        } catch (LuaException e) {
            throw new IllegalStateException(e);
        }
        return l.ref();
    }

    LuaEngine lua() {
        return engine;
    }

    LuaReplies replies() {
        return replies;
    }

    ScriptRun current() {
        return current;
    }

    /** Compiles a script or library with the sandboxed globals; returns its registry reference. */
    int compile(byte[] code, String chunkName) throws LuaException {
        engine.loadScript(code, chunkName);
        return engine.lua().ref();
    }

    /** Whether runs of the compiled script {@code ref} are bounded ({@link BoundedChunk}). */
    boolean bounded(int ref) {
        return BoundedChunk.isBounded(engine.dump(ref), engine.luaCodeGlobals());
    }

    void release(int ref) {
        engine.lua().unref(ref);
    }

    /**
     * Runs {@code functionRef} for {@code run}: EVAL mode sets KEYS and ARGV, function mode passes
     * them as arguments. Returns the reply (an error reply when the script raised).
     */
    RespValue run(ScriptRun run, int functionRef, byte[][] a, int firstKey, int numkeys) {
        Lua l = engine.lua();
        int top = l.getTop();
        current = run;
        api.begin(run);
        try {
            int argsFrom = firstKey + numkeys;
            int nargs = a.length - argsFrom;
            if (run.evalMode) {
                l.refGet(evalRunnerRef);
                l.refGet(functionRef);
                pushArray(a, firstKey, numkeys);
                pushArray(a, argsFrom, nargs);
                l.pCall(3, 2);
            } else {
                l.refGet(functionRunnerRef);
                l.refGet(functionRef);
                pushArray(a, firstKey, numkeys);
                pushArray(a, argsFrom, nargs);
                l.pCall(3, 2);
            }
            if (l.toBoolean(-2)) {
                // a returned redis.pcall error table: its error was counted when the command replied it
                run.errorCounted = l.type(-1) == Lua.LuaType.TABLE && ignoresErrorStats(l);
                return replies.toReply(l, run.resp);
            }
            return errorReply(l, run);
        } catch (LuaException e) {
            return new RespValue.Error("ERR Error running script " + run.name + ", " + e.getMessage());
        } finally {
            engine.setHook(null, "", 0);
            api.end();
            current = null;
            l.setTop(top);
            if (++runs % GC_PERIOD == 0) {
                engine.gc(5, GC_PERIOD); // LUA_GCSTEP every 50 runs, as Redis's luaCallFunction
            }
        }
    }

    /** The error a failed script replies, as luaCallFunction builds it from the error handler's table. */
    private static RespValue errorReply(Lua l, ScriptRun run) {
        String name = run.name;
        if (l.type(-1) != Lua.LuaType.TABLE) {
            String msg = l.type(-1) == Lua.LuaType.STRING ? new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8)
                    : "execution failure";
            return new RespValue.Error("ERR Error running script " + name + ", " + msg);
        }
        String msg = field(l, "err");
        run.errorCounted = ignoresErrorStats(l);
        String source = field(l, "source");
        String line = field(l, "line");
        StringBuilder sb = new StringBuilder(msg == null ? "" : msg);
        if (line != null && source != null) {
            sb.append(" script: ").append(name).append(", on ").append(source).append(':').append(line).append('.');
        }
        return new RespValue.Error(sb.toString());
    }

    /** The error table on top carries ignore_error_stats_update (it came from a command's error reply). */
    private static boolean ignoresErrorStats(Lua l) {
        l.push("ignore_error_stats_update");
        l.rawGet(-2);
        boolean ignore = l.toBoolean(-1);
        l.pop(1);
        return ignore;
    }

    static String field(Lua l, String name) {
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

    @Override
    public void close() {
        engine.close();
    }
}
