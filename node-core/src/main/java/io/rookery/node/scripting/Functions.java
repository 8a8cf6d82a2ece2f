package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.keyspace.Glob;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;

/**
 * FUNCTION and FCALL (Redis 7.0's functions.c and function_lua.c): libraries of Lua functions
 * loaded with {@code #!lua name=lib}, kept by name, each function callable by its name. Libraries
 * run in their own interpreter; while one loads it sees only the load API (redis.register_function,
 * redis.log, the versions); afterwards its functions see the usual sandboxed globals.
 */
public final class Functions {
    /** How long a library may run while it loads (Redis's LOAD_TIMEOUT_MS, 500 ms). */
    private static final long LOAD_TIMEOUT_NANOS = 500_000_000L;
    private final Dispatcher dispatcher;
    private final ScriptCommandRunner runner;
    private final ScriptRunner scripts;
    private final Map<String, FunctionLibrary> libraries = new LinkedHashMap<>();
    private final Map<String, FunctionLibrary.Function> functions = new LinkedHashMap<>();
    private ScriptEngine engine;
    /** The library being loaded (redis.register_function adds to it), or null. */
    private FunctionLibrary loading;

    private final io.rookery.node.keyspace.Keyspace keyspace;

    /**
     * Keeps the keyspace's RDB function records current (every RDB snapshot starts with them) and
     * loads the libraries an RDB holds.
     */
    private final ScriptRandom random;

    Functions(Dispatcher dispatcher, ScriptCommandRunner runner, ScriptRunner scripts, io.rookery.node.keyspace.Keyspace keyspace,
              ScriptRandom random) {
        this.random = random;
        this.dispatcher = dispatcher;
        this.runner = runner;
        this.scripts = scripts;
        this.keyspace = keyspace;
        keyspace.functionStore(new io.rookery.node.keyspace.FunctionStore() {
            @Override
            public void load(byte[] code, boolean replace) {
                create(code, replace);
            }

            @Override
            public void clear() {
                Functions.this.clear();
            }
        });
    }

    /** Called after every change of the libraries. */
    private void changed() {
        keyspace.functionRecords(FunctionDump.records(this));
    }

    private ScriptEngine engine() {
        if (engine == null) {
            JFunction register = l -> registerFunction(l);
            engine = new ScriptEngine(runner, register, random);
        }
        return engine;
    }

    // ---------------------------------------------------------------- FCALL

    /** The flags the function an FCALL names was registered with, or null when there is none. */
    ShebangFlags flagsOf(byte[][] a) {
        FunctionLibrary.Function f = functions.get(key(new String(a[1], StandardCharsets.UTF_8)));
        return f == null ? null : f.flags();
    }

    public void fcall(Client c, byte[][] a, boolean readOnlyCommand) {
        FunctionLibrary.Function f = functions.get(key(new String(a[1], StandardCharsets.UTF_8)));
        if (f == null) {
            c.reply().error("ERR Function not found");
            return;
        }
        long numkeys = io.rookery.protocol.Numbers.parseLong(a[2]);
        if (numkeys == io.rookery.protocol.Numbers.INVALID && !io.rookery.protocol.Numbers.isLong(a[2])) {
            c.reply().error("ERR Bad number of keys provided");
            return;
        }
        if (numkeys > a.length - 3) {
            c.reply().error("ERR Number of keys can't be greater than number of args");
            return;
        }
        if (numkeys < 0) {
            c.reply().error("ERR Number of keys can't be negative");
            return;
        }
        String refusal = ScriptGate.refusal(dispatcher, c, f.flags(), readOnlyCommand);
        if (refusal != null) {
            c.reply().error(refusal);
            return;
        }
        boolean readOnly = readOnlyCommand || f.flags().noWrites();
        ScriptRun run = new ScriptRun(c, f.name(), false, readOnly, f.flags().allowOom());
        run.clusterRules(a, 3, numkeys, f.flags().allowCrossSlot());
        run.command = a;
        ScriptEngine e = engine();
        scripts.run(c, run, () -> e.run(run, f.ref(), a, 3, (int) numkeys));
    }

    // ---------------------------------------------------------------- FUNCTION LOAD

    public void load(Client c, byte[][] a) {
        boolean replace = false;
        int i = 2;
        for (; i < a.length - 1; i++) {
            if (Args.is(a[i], "REPLACE")) {
                replace = true;
            } else {
                c.reply().error("ERR Unknown option given: " + Args.text(a[i]));
                return;
            }
        }
        if (i >= a.length) {
            c.reply().error("ERR Function code is missing");
            return;
        }
        try {
            String name = create(a[i], replace);
            dispatcher.dirty(1);
            c.reply().bulk(name);
        } catch (IllegalArgumentException e) {
            c.reply().error("ERR " + e.getMessage());
        }
    }

    /** Loads a library (FUNCTION LOAD, RESTORE, start-up); returns its name or throws with Redis's text. */
    String create(byte[] payload, boolean replace) {
        return create(payload, replace, false);
    }

    private String create(byte[] payload, boolean replace, boolean restoring) {
        Metadata md = Metadata.parse(payload);
        if (!validName(md.name)) {
            throw new IllegalArgumentException("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (!md.engine.equalsIgnoreCase("LUA")) {
            throw new IllegalArgumentException("Engine '" + md.engine + "' not found");
        }
        FunctionLibrary old = libraries.get(key(md.name));
        if (old != null && !replace) {
            throw new IllegalArgumentException(restoring ? "Library " + md.name + " already exists"
                    : "Library '" + md.name + "' already exists");
        }
        ScriptEngine e = engine();
        FunctionLibrary lib = new FunctionLibrary(md.name, "LUA", payload);
        int ref;
        try {
            ref = e.compile(java.util.Arrays.copyOfRange(payload, md.codeFrom, payload.length), "@user_function");
        } catch (LuaException ex) {
            throw new IllegalArgumentException("Error compiling function: " + ex.getMessage());
        }
        loading = lib;
        e.lua().loading(true);
        long deadline = System.nanoTime() + LOAD_TIMEOUT_NANOS;
        JFunction[] timeout = new JFunction[1];
        timeout[0] = BitLibrary.guarded(e.lua(), l -> {
            if (System.nanoTime() - deadline > 0) {
                e.replies().pushErrorTable(l, "FUNCTION LOAD timeout", false);
                return -1;
            }
            return 0;
        });
        String error;
        try {
            e.lua().setHook(timeout[0], "", 100_000);
            error = e.lua().protectedCall(ref);
        } finally {
            e.lua().setHook(null, "", 0);
            e.lua().loading(false);
            loading = null;
            e.release(ref);
        }
        if (error != null) {
            release(lib);
            throw new IllegalArgumentException("Error registering functions: " + error);
        }
        if (lib.functions.isEmpty()) {
            throw new IllegalArgumentException("No functions registered");
        }
        for (String fn : lib.functions.keySet()) {
            FunctionLibrary.Function existing = functions.get(key(fn));
            if (existing != null && existing.library() != old) {
                release(lib);
                throw new IllegalArgumentException("Function " + fn + " already exists");
            }
        }
        if (old != null) {
            remove(old);
        }
        libraries.put(key(lib.name), lib);
        lib.functions.values().forEach(f -> functions.put(key(f.name()), f));
        changed();
        return lib.name;
    }

    private void release(FunctionLibrary lib) {
        for (FunctionLibrary.Function f : lib.functions.values()) {
            engine.release(f.ref());
        }
    }

    private void remove(FunctionLibrary lib) {
        libraries.remove(key(lib.name));
        for (String fn : lib.functions.keySet()) {
            functions.remove(key(fn));
        }
        release(lib);
        changed();
    }

    /** Library and function names are case-insensitive, as Redis's dictionaries of them. */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- redis.register_function

    private int registerFunction(Lua l) {
        ScriptEngine e = engine;
        LuaReplies replies = e.replies();
        if (loading == null) {
            replies.pushErrorTable(l, "redis.register_function can only be called on FUNCTION LOAD command", false);
            return -1;
        }
        int argc = l.getTop();
        String name;
        String description = null;
        List<String> flagNames = new ArrayList<>();
        int ref;
        if (argc < 1 || argc > 2) {
            return fail(l, replies, "wrong number of arguments to redis.register_function");
        }
        if (argc == 2) {
            if (l.type(1) != Lua.LuaType.STRING && l.type(1) != Lua.LuaType.NUMBER) {
                return fail(l, replies, "first argument to redis.register_function must be a string");
            }
            name = new String(LuaEngine.bytes(l, 1), StandardCharsets.UTF_8);
            if (l.type(2) != Lua.LuaType.FUNCTION) {
                return fail(l, replies, "second argument to redis.register_function must be a function");
            }
            l.pushValue(2);
            ref = l.ref();
        } else {
            if (l.type(1) != Lua.LuaType.TABLE) {
                return fail(l, replies, "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
            }
            name = null;
            ref = 0;
            l.pushNil();
            while (l.next(1) != 0) {
                if (l.type(-2) != Lua.LuaType.STRING && l.type(-2) != Lua.LuaType.NUMBER) {
                    return failRef(l, replies, ref, "named argument key given to redis.register_function is not a string");
                }
                String key = new String(LuaEngine.bytes(l, -2), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                switch (key) {
                    case "function_name" -> {
                        if (l.type(-1) != Lua.LuaType.STRING && l.type(-1) != Lua.LuaType.NUMBER) {
                            return failRef(l, replies, ref, "function_name argument given to redis.register_function must be a string");
                        }
                        name = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
                    }
                    case "description" -> {
                        if (l.type(-1) != Lua.LuaType.STRING && l.type(-1) != Lua.LuaType.NUMBER) {
                            return failRef(l, replies, ref, "description argument given to redis.register_function must be a string");
                        }
                        description = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
                    }
                    case "callback" -> {
                        if (l.type(-1) != Lua.LuaType.FUNCTION) {
                            return failRef(l, replies, ref, "callback argument given to redis.register_function must be a function");
                        }
                        l.pushValue(-1);
                        ref = l.ref();
                    }
                    case "flags" -> {
                        if (l.type(-1) != Lua.LuaType.TABLE) {
                            return failRef(l, replies, ref, "flags argument to redis.register_function must be a table representing function flags");
                        }
                        if (!readFlags(l, flagNames)) {
                            return failRef(l, replies, ref, "unknown flag given");
                        }
                    }
                    default -> {
                        return failRef(l, replies, ref, "unknown argument given to redis.register_function");
                    }
                }
                l.pop(1);
            }
            if (name == null) {
                return failRef(l, replies, ref, "redis.register_function must get a function name argument");
            }
            if (ref == 0) {
                return fail(l, replies, "redis.register_function must get a callback argument");
            }
        }
        if (!validName(name)) {
            return failRef(l, replies, ref, "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        }
        if (loading.functions.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
            return failRef(l, replies, ref, "Function already exists in the library");
        }
        ShebangFlags flags = new ShebangFlags(false, flagNames.contains("no-writes"), flagNames.contains("allow-oom"),
                flagNames.contains("allow-stale"), flagNames.contains("no-cluster"),
                flagNames.contains("allow-cross-slot-keys"), 0);
        loading.functions.put(name, new FunctionLibrary.Function(name, description, flags, List.copyOf(flagNames), ref, loading));
        return 0;
    }

    private static final List<String> FLAG_NAMES = List.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");

    private static boolean readFlags(Lua l, List<String> out) {
        for (int j = 1; ; j++) {
            l.rawGetI(-1, j);
            if (l.type(-1) == Lua.LuaType.NIL) {
                l.pop(1);
                return true;
            }
            if (l.type(-1) != Lua.LuaType.STRING) {
                l.pop(1);
                return false;
            }
            String flag = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            l.pop(1);
            if (!FLAG_NAMES.contains(flag)) {
                return false;
            }
            if (!out.contains(flag)) {
                out.add(flag);
            }
        }
    }

    private static int fail(Lua l, LuaReplies replies, String msg) {
        l.setTop(0);
        replies.pushErrorTable(l, msg, false);
        return -1;
    }

    private static int failRef(Lua l, LuaReplies replies, int ref, String msg) {
        if (ref != 0) {
            l.unref(ref);
        }
        return fail(l, replies, msg);
    }

    // ---------------------------------------------------------------- FUNCTION DELETE / FLUSH / LIST / STATS

    public void delete(Client c, byte[] name) {
        FunctionLibrary lib = libraries.get(key(Args.text(name)));
        if (lib == null) {
            c.reply().error("ERR Library not found");
            return;
        }
        remove(lib);
        dispatcher.dirty(1);
        c.reply().ok();
    }

    public void flush(Client c, byte[][] a) {
        if (a.length > 3) {
            c.reply().error("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1]) + "'. Try FUNCTION HELP.");
            return;
        }
        if (a.length == 3 && !Args.is(a[2], "SYNC") && !Args.is(a[2], "ASYNC")) {
            c.reply().error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        clear();
        dispatcher.dirty(1);
        c.reply().ok();
    }

    /** Drops every library and the interpreter (FUNCTION FLUSH, FLUSHALL does not touch functions). */
    void clear() {
        libraries.clear();
        functions.clear();
        changed();
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    public void list(Client c, byte[][] a) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < a.length; i++) {
            if (Args.is(a[i], "WITHCODE")) {
                if (withCode) {
                    c.reply().error("ERR Unknown argument withcode");
                    return;
                }
                withCode = true;
            } else if (Args.is(a[i], "LIBRARYNAME")) {
                if (pattern != null) {
                    c.reply().error("ERR Unknown argument libraryname");
                    return;
                }
                if (i + 1 >= a.length) {
                    c.reply().error("ERR library name argument was not given");
                    return;
                }
                pattern = Args.text(a[++i]);
            } else {
                c.reply().error("ERR Unknown argument " + Args.text(a[i]));
                return;
            }
        }
        List<FunctionLibrary> shown = new ArrayList<>();
        for (FunctionLibrary lib : libraries.values()) {
            if (pattern == null || Glob.matches(pattern.getBytes(StandardCharsets.UTF_8), lib.name.getBytes(StandardCharsets.UTF_8), false)) {
                shown.add(lib);
            }
        }
        RespWriter w = c.reply();
        w.array(shown.size());
        for (FunctionLibrary lib : shown) {
            w.map(withCode ? 4 : 3);
            w.bulk("library_name");
            w.bulk(lib.name);
            w.bulk("engine");
            w.bulk(lib.engine);
            w.bulk("functions");
            w.array(lib.functions.size());
            for (FunctionLibrary.Function f : lib.functions.values()) {
                w.map(3);
                w.bulk("name");
                w.bulk(f.name());
                w.bulk("description");
                if (f.description() == null) {
                    w.nullBulk();
                } else {
                    w.bulk(f.description());
                }
                w.bulk("flags");
                w.set(f.flagNames().size());
                for (String flag : f.flagNames()) {
                    w.bulk(flag);
                }
            }
            if (withCode) {
                w.bulk("library_code");
                w.bulk(lib.code);
            }
        }
    }

    public void stats(Client c, ScriptRun running, byte[][] runningCommand) {
        RespWriter w = c.reply();
        w.map(2);
        w.bulk("running_script");
        if (running == null) {
            w.nullBulk();
        } else {
            w.map(3);
            w.bulk("name");
            w.bulk(running.name);
            w.bulk("command");
            w.array(runningCommand.length);
            for (byte[] arg : runningCommand) {
                w.bulk(arg);
            }
            w.bulk("duration_ms");
            w.integer(running.elapsedMillis());
        }
        w.bulk("engines");
        w.map(1);
        w.bulk("LUA");
        w.map(2);
        w.bulk("libraries_count");
        w.integer(libraries.size());
        w.bulk("functions_count");
        w.integer(functions.size());
    }

    /**
     * FUNCTION RESTORE: FLUSH replaces everything, APPEND refuses a library that exists, REPLACE
     * replaces those; all or nothing.
     */
    void restore(List<byte[]> codes, String policy) {
        List<byte[]> previous = new ArrayList<>();
        for (FunctionLibrary lib : libraries.values()) {
            previous.add(lib.code);
        }
        if (policy.equals("FLUSH")) {
            clear();
        }
        try {
            for (byte[] code : codes) {
                create(code, policy.equals("REPLACE"), true);
            }
        } catch (IllegalArgumentException e) {
            clear();
            for (byte[] code : previous) {
                create(code, true);
            }
            throw e;
        }
        dispatcher.dirty(1);
    }

    /** The libraries in load order, for DUMP and the RDB. */
    Iterable<FunctionLibrary> libraries() {
        return libraries.values();
    }

    public int functionCount() {
        return functions.size();
    }

    public long vmMemory() {
        return engine == null ? 33792 : engine.lua().memory();
    }

    public long codeBytes() {
        long n = 0;
        for (FunctionLibrary lib : libraries.values()) {
            n += lib.code.length;
        }
        return n;
    }

    public int libraryCount() {
        return libraries.size();
    }

    /** The metadata line of a library payload ({@code #!lua name=mylib}), as functionExtractLibMetaData reads it. */
    private record Metadata(String engine, String name, int codeFrom) {
        static Metadata parse(byte[] payload) {
            if (payload.length < 2 || payload[0] != '#' || payload[1] != '!') {
                throw new IllegalArgumentException("Missing library metadata");
            }
            int end = -1;
            for (int i = 0; i < payload.length; i++) {
                if (payload[i] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                throw new IllegalArgumentException("Invalid library metadata");
            }
            List<byte[]> split = io.rookery.protocol.RequestDecoder.splitArgs(java.util.Arrays.copyOf(payload, end));
            if (split == null || split.isEmpty()) {
                throw new IllegalArgumentException("Invalid library metadata");
            }
            String[] parts = split.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toArray(String[]::new);
            String engine = parts[0].substring(2);
            String name = null;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].regionMatches(true, 0, "name=", 0, 5)) {
                    if (name != null) {
                        throw new IllegalArgumentException("Invalid metadata value, name argument was given multiple times");
                    }
                    name = parts[i].substring(5);
                    continue;
                }
                throw new IllegalArgumentException("Invalid metadata value given: " + parts[i]);
            }
            if (name == null) {
                throw new IllegalArgumentException("Library name was not given");
            }
            return new Metadata(engine, name, end);
        }
    }
}
