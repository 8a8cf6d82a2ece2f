package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.LuaException;

/**
 * EVAL, EVALSHA, their _RO forms and SCRIPT (Redis 7.0's eval.c over script.c): compiles a script
 * once into the {@link ScriptCache}, checks its shebang flags against the command, runs it with
 * KEYS and ARGV set, and converts its result for the caller.
 *
 * <p><b>Threading.</b> The script runs on the {@link ScriptThread} while the command thread waits
 * for it, so it is atomic and its redis.call commands run exactly as the caller's would; past
 * busy-reply-threshold the node answers other clients BUSY and SCRIPT KILL can stop it (see
 * {@link ScriptThread} for how the keyspace is handed over). A script whose bytecode shows it can
 * never reach the busy check ({@link BoundedChunk}: no loop, no function, no way to other Lua code)
 * runs on the command thread itself, without the handoff.
 *
 * <p>Writes made by a script are propagated as their effects (each redis.call write replicates
 * itself; several are wrapped in MULTI/EXEC by the propagators), never as the EVAL itself.
 */
public final class Scripting {
    private static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private final Dispatcher dispatcher;
    private final ScriptCommandRunner runner;
    private final ScriptRunner scripts;
    private final ScriptCache cache = new ScriptCache();
    private ScriptEngine engine;

    private final ScriptRandom random;

    Scripting(Dispatcher dispatcher, ScriptCommandRunner runner, ScriptRunner scripts, ScriptRandom random) {
        this.random = random;
        this.dispatcher = dispatcher;
        this.runner = runner;
        this.scripts = scripts;
    }

    /** The interpreter, created on first use (a node that never runs a script never loads the native library). */
    private ScriptEngine engine() {
        if (engine == null) {
            engine = new ScriptEngine(runner, null, random);
        }
        return engine;
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
        ScriptEngine e = engine();
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
        String refusal = ScriptGate.refusal(dispatcher, c, flags, readOnlyCommand);
        if (refusal != null) {
            c.reply().error(refusal);
            return;
        }
        boolean readOnly = readOnlyCommand || !flags.compat() && flags.noWrites();
        boolean allowOom = !flags.compat() && flags.allowOom();
        ScriptRun run = new ScriptRun(c, script.sha(), true, readOnly, allowOom);
        run.clusterRules(a, 3, numkeys, flags.compat() || flags.allowCrossSlot());
        int ref = script.functionRef();
        if (script.bounded()) {
            scripts.runInline(c, run, () -> e.run(run, ref, a, 3, (int) numkeys));
        } else {
            scripts.run(c, run, () -> e.run(run, ref, a, 3, (int) numkeys));
        }
    }

    /** Compiles {@code body} into the cache; replies the error and returns null when it does not compile. */
    private ScriptCache.Script compile(Client c, byte[] body) {
        ShebangFlags flags;
        try {
            flags = ShebangFlags.parse(body);
        } catch (IllegalArgumentException ex) {
            c.reply().error("ERR " + ex.getMessage());
            return null;
        }
        byte[] code = java.util.Arrays.copyOfRange(body, flags.shebangLength(), body.length);
        int ref;
        try {
            ref = engine().compile(code, "@user_script");
        } catch (LuaException ex) {
            c.reply().error("ERR Error compiling script (new function): " + ex.getMessage());
            return null;
        }
        ScriptCache.Script s = new ScriptCache.Script(ScriptCache.sha1hex(body), body, flags, ref, engine().bounded(ref));
        cache.put(s);
        return s;
    }

    /**
     * The declared flags of the script an EVAL carries: read from its shebang (the SHA of a cached
     * script is not needed, its flags are the same), null when the shebang is invalid.
     */
    ShebangFlags flagsOfBody(byte[][] a) {
        byte[] body = a[1];
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return ShebangFlags.COMPAT;
        }
        try {
            return ShebangFlags.parse(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The declared flags of the cached script an EVALSHA names, or null when it is not cached. */
    ShebangFlags flagsOfSha(byte[][] a) {
        ScriptCache.Script script = a[1].length == 40 ? cache.get(ScriptCache.lower(a[1])) : null;
        return script == null ? null : script.flags();
    }

    // ---------------------------------------------------------------- SCRIPT

    public void load(Client c, byte[] body) {
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

    /** SCRIPT FLUSH: forgets every script and starts a fresh interpreter, as Redis's scriptingReset. */
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

    /** For INFO: used_memory_vm_eval (Redis reports a fresh interpreter's 32K before the first script). */
    public long vmMemory() {
        return engine == null ? 32768 : engine.lua().memory();
    }

    /** For INFO: used_memory_scripts_eval. */
    public long scriptBytes() {
        return cache.bodyBytes();
    }

    /** For INFO: number_of_cached_scripts. */
    public int cachedScripts() {
        return cache.size();
    }
}
