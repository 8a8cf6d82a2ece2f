package io.rookery.node.scripting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.LuaException;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Consts;

/**
 * One Lua 5.1 interpreter (the real one, as Redis embeds it, through luajava's JNI binding) set up
 * as Redis's scriptingInit does: base, table, string, math, cjson, struct, cmsgpack and bit; no os,
 * io, loadfile, dofile or print; library tables and the globals read-only; the sandbox itself is
 * {@code sandbox.lua}.
 *
 * <p>Strings cross the boundary as bytes. luajava pushes Java strings through JNI's modified UTF-8,
 * so a byte string outside 1..127 is pushed as one char per byte and decoded back in Lua by
 * {@code string.gsub} with a 2-byte-sequence table ({@link #pushBytes}); reads use the raw buffer.
 *
 * <p>Not thread-safe: one thread at a time (the scripting subsystem serialises runs).
 */
public final class LuaEngine implements AutoCloseable {
    /** Lua 5.1's pseudo-index of the globals table. */
    static final int GLOBALS = Lua51Consts.LUA_GLOBALSINDEX;
    static final int REGISTRY = Lua51Consts.LUA_REGISTRYINDEX;

    private final Lua lua = new Lua51();
    private int decoderRef;
    private int realGlobalsRef;
    private int errorHandlerRef;
    private final JFunction readonly;
    private final JFunction missingGlobal;
    private int whereRef;
    private int sethookRef;
    private int bindRef;
    private int isProtectedRef;
    private int loadingRef;
    private int protectRef;
    /** Globals leading to Lua code a script did not compile itself ({@link BoundedChunk}). */
    private java.util.Set<String> luaCodeGlobals = java.util.Set.of();

    /** Sets the interpreter up; {@code registerApi} adds the redis, cjson, bit ... tables to the globals. */
    public LuaEngine(java.util.function.Consumer<LuaEngine> registerApi) {
        this(registerApi, null);
    }

    /**
     * An interpreter for FUNCTION libraries: {@code registerFunction} is redis.register_function of
     * the load API (see {@link #loading}).
     */
    public LuaEngine(java.util.function.Consumer<LuaEngine> registerApi, JFunction registerFunction) {
        lua.openLibrary("string");
        lua.openLibrary("table");
        lua.openLibrary("math");
        lua.openLibrary("debug");
        decoderRef = compileFunction("local gsub, char, floor = string.gsub, string.char, math.floor\n"
                + "local map\n"
                + "return function(s)\n"
                + "  if not map then\n" // built on the first byte string outside 1..127
                + "    map = {['\\192\\128'] = '\\0'}\n"
                + "    for b = 128, 255 do map[char(192 + floor(b / 64), 128 + b % 64)] = char(b) end\n"
                + "  end\n"
                + "  return (gsub(s, '[\\192\\194\\195][\\128-\\191]', map))\n"
                + "end", "=decoder");
        readonly = l -> {
            l.push(where(l) + "Attempt to modify a readonly table");
            return -1;
        };
        missingGlobal = l -> {
            byte[] name = l.getTop() >= 2 ? bytes(l, 2) : new byte[0];
            pushBytes(l, concat(where(l) + "Script attempted to access nonexistent global variable '", name, "'"));
            return -1;
        };
        registerApi.accept(this);
        // sandbox.lua returns (env, real)
        lua.newTable();
        lua.push(readonly);
        lua.setField(-2, "readonly");
        lua.push(missingGlobal);
        lua.setField(-2, "missing");
        lua.push(guardedBuiltin("setmetatable"));
        lua.setField(-2, "setmetatable");
        lua.push(guardedBuiltin("rawset"));
        lua.setField(-2, "rawset");
        if (registerFunction != null) {
            lua.push(registerFunction);
            lua.setField(-2, "register_function");
        }
        lua.pushValue(-1);
        int helpersRef = lua.ref();
        load(resource("sandbox.lua"), "=sandbox");
        lua.insert(-2);
        call(1, 2);
        realGlobalsRef = lua.ref(); // pops the table behind the sandboxed globals
        lua.pop(1); // env: reached through bind
        lua.refGet(helpersRef);
        lua.getField(-1, "bind");
        bindRef = lua.ref();
        lua.getField(-1, "isProtected");
        isProtectedRef = lua.ref();
        lua.getField(-1, "protect");
        protectRef = lua.ref();
        lua.getField(-1, "loading");
        loadingRef = lua.type(-1) == Lua.LuaType.FUNCTION ? lua.ref() : popZero();
        lua.getField(-1, "where");
        whereRef = lua.ref();
        lua.getField(-1, "sethook");
        sethookRef = lua.ref();
        lua.getField(-1, "luaCode");
        call(0, 1);
        luaCodeGlobals = java.util.Set.copyOf(java.util.Arrays.asList(String.valueOf(lua.toString(-1)).split(",")));
        lua.pop(1);
        lua.pop(1);
        lua.unref(helpersRef);
        lua.refGet(realGlobalsRef);
        lua.push("__redis__err__handler");
        lua.rawGet(-2);
        errorHandlerRef = lua.ref();
        lua.pop(1);
        gc(2, 0); // LUA_GCCOLLECT: start from the live set, as a fresh Redis interpreter does
    }

    public Lua lua() {
        return lua;
    }

    /**
     * "file:line: " of the Lua code that called the running Java function (luaL_where(L, 1)), or ""
     * when the caller is not Lua code. Only valid inside a Java function called from Lua.
     */
    String where(Lua l) {
        l.refGet(whereRef);
        try {
            l.pCall(0, 1);
        } catch (LuaException e) {
            return "";
        }
        String where = l.toString(-1);
        l.pop(1);
        return where == null ? "" : where;
    }

    // ---------------------------------------------------------------- globals and registry

    /** Sets a global bypassing the read-only lock (API registration before the sandbox, KEYS/ARGV). */
    public void setRealGlobal(String name) {
        if (realGlobalsRef == 0) {
            lua.setGlobal(name);
            return;
        }
        lua.refGet(realGlobalsRef);
        lua.push(name);
        lua.pushValue(-3);
        lua.rawSet(-3);
        lua.pop(2);
    }

    /** Installs {@code hook} as a count hook every {@code instructions} (null removes it), through debug.sethook. */
    public void setHook(JFunction hook, String mask, int instructions) {
        lua.refGet(sethookRef);
        int args = 0;
        if (hook != null) {
            lua.push(hook);
            lua.push(mask);
            lua.push(instructions);
            args = 3;
        }
        call(args, 0);
    }

    private int popZero() {
        lua.pop(1);
        return 0;
    }

    /** Switches what the globals of a FUNCTION library show: the load API while it loads, else the globals. */
    public void loading(boolean on) {
        lua.refGet(loadingRef);
        lua.push(on);
        call(1, 0);
    }

    /** Calls the function referenced by {@code ref}; null when it returned, else its error message. */
    public String protectedCall(int ref) {
        lua.refGet(protectRef);
        lua.refGet(ref);
        try {
            lua.pCall(1, 1);
        } catch (LuaException e) {
            return String.valueOf(e.getMessage());
        }
        String msg = lua.type(-1) == Lua.LuaType.NIL ? null : new String(bytes(-1), StandardCharsets.UTF_8);
        lua.pop(1);
        return msg;
    }

    /** lua_gc(what, data): 2 collects fully, 5 performs a step of {@code data} (LUA_GCCOLLECT, LUA_GCSTEP). */
    public void gc(int what, int data) {
        ((party.iroiro.luajava.lua51.Lua51Natives) lua.getLuaNatives()).lua_gc(lua.getPointer(), what, data);
    }

    /** Bytes the interpreter uses (lua_gc LUA_GCCOUNT). */
    public long memory() {
        party.iroiro.luajava.lua51.Lua51Natives n = (party.iroiro.luajava.lua51.Lua51Natives) lua.getLuaNatives();
        return n.lua_gc(lua.getPointer(), 3, 0) * 1024L + n.lua_gc(lua.getPointer(), 4, 0);
    }

    /** Pushes the table behind the sandboxed globals (where KEYS and ARGV go). */
    void pushRealGlobals() {
        lua.refGet(realGlobalsRef);
    }

    /** Pushes debug.sethook (the sandbox removes debug from the globals). */
    void pushSethook() {
        lua.refGet(sethookRef);
    }

    public void pushErrorHandler() {
        lua.refGet(errorHandlerRef);
    }

    /**
     * A builtin (setmetatable, rawset) that refuses read-only tables as Redis's patched Lua does:
     * a C function raising "Attempt to modify a readonly table" without a position.
     */
    private JFunction guardedBuiltin(String name) {
        lua.getGlobal(name);
        int original = lua.ref();
        return l -> {
            int n = l.getTop();
            l.refGet(isProtectedRef);
            l.pushValue(1);
            try {
                l.pCall(1, 1);
            } catch (LuaException e) {
                l.push(String.valueOf(e.getMessage()));
                return -1;
            }
            boolean locked = l.toBoolean(-1);
            l.pop(1);
            if (locked) {
                l.push("Attempt to modify a readonly table");
                return -1;
            }
            l.refGet(original);
            l.insert(1);
            try {
                l.pCall(n, 1);
            } catch (LuaException e) {
                l.push(String.valueOf(e.getMessage()));
                return -1;
            }
            return 1;
        };
    }

    // ---------------------------------------------------------------- strings

    /** Pushes {@code b} as a Lua string, byte for byte. */
    public void pushBytes(byte[] b) {
        pushBytes(lua, b);
    }

    void pushBytes(Lua l, byte[] b) {
        boolean plain = true;
        for (byte x : b) {
            if (x <= 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            l.push(new String(b, StandardCharsets.ISO_8859_1));
            return;
        }
        l.refGet(decoderRef);
        l.push(new String(b, StandardCharsets.ISO_8859_1));
        try {
            l.pCall(1, 1);
        } catch (LuaException e) {
            throw new IllegalStateException("byte string decoder failed", e);
        }
    }

    /** The bytes of the string (or number, converted by Lua) at {@code index}. */
    public byte[] bytes(int index) {
        return bytes(lua, index);
    }

    static byte[] bytes(Lua l, int index) {
        // a view of Lua's own string (valid while it is on the stack), copied at once
        ByteBuffer buf = l.toDirectBuffer(index);
        if (buf == null) {
            return new byte[0];
        }
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    private static byte[] concat(String a, byte[] b, String c) {
        byte[] pa = a.getBytes(StandardCharsets.UTF_8);
        byte[] pc = c.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[pa.length + b.length + pc.length];
        System.arraycopy(pa, 0, out, 0, pa.length);
        System.arraycopy(b, 0, out, pa.length, b.length);
        System.arraycopy(pc, 0, out, pa.length + b.length, pc.length);
        return out;
    }

    // ---------------------------------------------------------------- chunks

    /** Compiles {@code source} under {@code chunkName}; pushes the function or throws with Lua's message. */
    public void load(byte[] source, String chunkName) {
        ByteBuffer direct = ByteBuffer.allocateDirect(Math.max(1, source.length));
        direct.put(source).flip();
        lua.load(direct, chunkName);
    }

    /** Compiles a user script and gives it the sandboxed globals; pushes the function or throws. */
    public void loadScript(byte[] source, String chunkName) {
        if (source.length > 0 && source[0] == 27) {
            // Redis's Lua reads only source text: a precompiled chunk fails to parse (a leading space keeps the lines)
            byte[] text = new byte[source.length + 1];
            text[0] = ' ';
            System.arraycopy(source, 0, text, 1, source.length);
            source = text;
        }
        load(source, chunkName);
        lua.refGet(bindRef);
        lua.insert(-2);
        call(1, 1);
    }

    /** The globals through which a script reaches Lua code it did not compile (loadstring, pcall ...). */
    public java.util.Set<String> luaCodeGlobals() {
        return luaCodeGlobals;
    }

    /** The Lua 5.1 bytecode of the function {@code ref} refers to (string.dump). */
    public byte[] dump(int ref) {
        int top = lua.getTop();
        try {
            lua.refGet(realGlobalsRef);
            lua.getField(-1, "string");
            lua.getField(-1, "dump");
            lua.refGet(ref);
            call(1, 1);
            return bytes(-1);
        } finally {
            lua.setTop(top);
        }
    }

    /** Compiles and runs {@code source}, which returns a function; returns a registry reference to it. */
    private int compileFunction(String source, String name) {
        load(source.getBytes(StandardCharsets.ISO_8859_1), name);
        call(0, 1);
        return lua.ref();
    }

    private void call(int args, int results) {
        try {
            lua.pCall(args, results);
        } catch (LuaException e) {
            throw new IllegalStateException("scripting set-up failed: " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LuaEngine.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        lua.close();
    }
}
