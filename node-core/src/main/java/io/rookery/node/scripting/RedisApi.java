package io.rookery.node.scripting;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The {@code redis} table scripts see (Redis 7.0's luaRegisterRedisAPI): call, pcall, log and the
 * LOG_* levels, setresp, sha1hex, error_reply, status_reply, set_repl and the REPL_* flags,
 * replicate_commands, REDIS_VERSION(_NUM), plus math.random/randomseed on Redis's rand48.
 * Commands themselves are run by the {@link ScriptCommandRunner}.
 */
final class RedisApi {
    private final LuaEngine engine;
    private final LuaReplies replies;
    private final ScriptCommandRunner runner;
    private final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.rookery.node.scripting.lua");
    private final ScriptRandom rand;
    private ScriptRun run;
    private boolean inCall;

    RedisApi(LuaEngine engine, LuaReplies replies, ScriptCommandRunner runner, ScriptRandom rand) {
        this.engine = engine;
        this.rand = rand;
        this.replies = replies;
        this.runner = runner;
    }

    void begin(ScriptRun r) {
        this.run = r;
    }

    void end() {
        this.run = null;
    }

    void register() {
        Lua l = engine.lua();
        l.newTable();
        fn(l, "call", lua -> command(lua, true));
        fn(l, "pcall", lua -> command(lua, false));
        fn(l, "log", this::log);
        num(l, "LOG_DEBUG", 0);
        num(l, "LOG_VERBOSE", 1);
        num(l, "LOG_NOTICE", 2);
        num(l, "LOG_WARNING", 3);
        l.push(io.rookery.node.NodeVersion.REDIS_VERSION);
        l.setField(-2, "REDIS_VERSION");
        num(l, "REDIS_VERSION_NUM", versionNum(io.rookery.node.NodeVersion.REDIS_VERSION));
        fn(l, "setresp", this::setResp);
        fn(l, "sha1hex", lua -> {
            if (lua.getTop() != 1) {
                return error(lua, "wrong number of arguments");
            }
            lua.push(ScriptCache.sha1hex(LuaEngine.bytes(lua, 1)));
            return 1;
        });
        fn(l, "error_reply", lua -> {
            if (lua.getTop() != 1 || lua.type(1) != Lua.LuaType.STRING) {
                return errorValue(lua, "wrong number or type of arguments");
            }
            String err = new String(LuaEngine.bytes(lua, 1), StandardCharsets.UTF_8);
            replies.pushErrorTable(lua, err.startsWith("-") ? err : "-" + err, false);
            return 1;
        });
        fn(l, "status_reply", lua -> {
            if (lua.getTop() != 1 || lua.type(1) != Lua.LuaType.STRING) {
                return errorValue(lua, "wrong number or type of arguments");
            }
            lua.newTable();
            lua.pushValue(1);
            lua.setField(-2, "ok");
            return 1;
        });
        fn(l, "set_repl", this::setRepl);
        num(l, "REPL_NONE", 0);
        num(l, "REPL_AOF", ScriptRun.REPL_AOF);
        num(l, "REPL_SLAVE", ScriptRun.REPL_REPLICA);
        num(l, "REPL_REPLICA", ScriptRun.REPL_REPLICA);
        num(l, "REPL_ALL", ScriptRun.REPL_ALL);
        fn(l, "replicate_commands", lua -> {
            lua.push(true);
            return 1;
        });
        fn(l, "acl_check_cmd", this::aclCheckCmd);
        fn(l, "breakpoint", lua -> {
            lua.push(false);
            return 1;
        });
        fn(l, "debug", lua -> 0);
        engine.setRealGlobal("redis");

        l.getGlobal("math");
        fn(l, "random", this::random);
        fn(l, "randomseed", lua -> {
            if (run == null) {
                return error(lua, "math.randomseed can only be called inside a script invocation");
            }
            rand.seed((int) (long) lua.toNumber(1));
            return 0;
        });
        l.pop(1);
    }

    // ---------------------------------------------------------------- redis.call / redis.pcall

    private int command(Lua l, boolean raise) {
        if (run == null) {
            replies.pushErrorTable(l, "redis.call/pcall can only be called inside a script invocation", false);
            return -1;
        }
        int argc = l.getTop();
        if (argc == 0) {
            replies.pushErrorTable(l, "Please specify at least one argument for this redis lib call", false);
            return raise ? -1 : 1;
        }
        byte[][] args = new byte[argc][];
        for (int i = 1; i <= argc; i++) {
            Lua.LuaType t = l.type(i);
            if (t == Lua.LuaType.NUMBER) {
                args[i - 1] = io.rookery.protocol.DoubleFormat.g17(l.toNumber(i)).getBytes(StandardCharsets.US_ASCII);
            } else if (t == Lua.LuaType.STRING) {
                args[i - 1] = LuaEngine.bytes(l, i);
            } else {
                l.setTop(0);
                replies.pushErrorTable(l, "Lua redis lib command arguments must be strings or integers", false);
                return raise ? -1 : 1;
            }
        }
        l.setTop(0);
        if (inCall) {
            replies.pushErrorTable(l, "luaRedisGenericCommand() recursive call detected. "
                    + "Are you doing funny stuff with Lua debug hooks?", false);
            return 1;
        }
        inCall = true;
        io.rookery.protocol.RespValue reply;
        try {
            reply = runner.run(run, args);
        } finally {
            inCall = false;
        }
        replies.push(l, reply, run.resp);
        boolean isError = reply instanceof io.rookery.protocol.RespValue.Error;
        return raise && isError ? -1 : 1;
    }

    /** redis.acl_check_cmd(cmd, ...): whether the caller's user may run the command with these arguments. */
    private int aclCheckCmd(Lua l) {
        if (run == null) {
            return error(l, "redis.acl_check_cmd can only be called inside a script invocation");
        }
        byte[][] args = arguments(l);
        if (args == null) {
            return -1;
        }
        Boolean allowed = runner.aclAllows(run, args);
        if (allowed == null) {
            return error(l, "Invalid command passed to redis.acl_check_cmd()");
        }
        l.push(allowed);
        return 1;
    }

    /**
     * The arguments of a redis lib call as Redis's luaArgsToRedisArgv reads them: strings and
     * numbers (as %.17g); otherwise (or without any) null with the error table pushed.
     */
    private byte[][] arguments(Lua l) {
        int argc = l.getTop();
        if (argc == 0) {
            replies.pushErrorTable(l, "Please specify at least one argument for this redis lib call", false);
            return null;
        }
        byte[][] args = new byte[argc][];
        for (int i = 1; i <= argc; i++) {
            Lua.LuaType t = l.type(i);
            if (t == Lua.LuaType.NUMBER) {
                args[i - 1] = io.rookery.protocol.DoubleFormat.g17(l.toNumber(i)).getBytes(StandardCharsets.US_ASCII);
            } else if (t == Lua.LuaType.STRING) {
                args[i - 1] = LuaEngine.bytes(l, i);
            } else {
                l.setTop(0);
                replies.pushErrorTable(l, "Lua redis lib command arguments must be strings or integers", false);
                return null;
            }
        }
        l.setTop(0);
        return args;
    }

    // ---------------------------------------------------------------- the rest of the API

    private int log(Lua l) {
        int argc = l.getTop();
        if (argc < 2) {
            return error(l, "redis.log() requires two arguments or more.");
        }
        if (l.type(1) != Lua.LuaType.NUMBER) {
            return error(l, "First argument must be a number (log level).");
        }
        int level = (int) l.toNumber(1);
        if (level < 0 || level > 3) {
            return error(l, "Invalid debug level.");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 2; i <= argc; i++) {
            if (i > 2) {
                sb.append(' ');
            }
            if (l.type(i) == Lua.LuaType.STRING || l.type(i) == Lua.LuaType.NUMBER) {
                sb.append(new String(LuaEngine.bytes(l, i), StandardCharsets.UTF_8));
            }
        }
        switch (level) {
            case 0 -> log.debug("{}", sb);
            case 1 -> log.debug("{}", sb);
            case 2 -> log.info("{}", sb);
            default -> log.warn("{}", sb);
        }
        return 0;
    }

    private int setResp(Lua l) {
        if (run == null) {
            return error(l, "redis.setresp can only be called inside a script invocation");
        }
        if (l.getTop() != 1) {
            return error(l, "redis.setresp() requires one argument.");
        }
        long resp = (long) l.toNumber(1);
        if (resp != 2 && resp != 3) {
            return error(l, "RESP version must be 2 or 3.");
        }
        run.resp = (int) resp;
        return 0;
    }

    private int setRepl(Lua l) {
        if (run == null) {
            return error(l, "redis.set_repl can only be called inside a script invocation");
        }
        if (l.getTop() != 1) {
            return error(l, "redis.set_repl() requires two arguments.");
        }
        long flags = (long) l.toNumber(1);
        if ((flags & ~ScriptRun.REPL_ALL) != 0) {
            return error(l, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        run.repl = (int) flags;
        return 0;
    }

    /** Redis's redis_math_random: Lua's math.random on rand48, so every platform gives the same sequence. */
    private int random(Lua l) {
        if (run == null) {
            return error(l, "math.random can only be called inside a script invocation");
        }
        double r = (double) (rand.next() % ScriptRandom.MAX) / (double) ScriptRandom.MAX;
        switch (l.getTop()) {
            case 0 -> l.push(r);
            case 1 -> {
                int u = checkInt(l, 1, "random");
                if (u < 1) {
                    return argError(l, 1, "random", "interval is empty");
                }
                l.push(Math.floor(r * u) + 1);
            }
            case 2 -> {
                int lo = checkInt(l, 1, "random");
                int u = checkInt(l, 2, "random");
                if (lo > u) {
                    return argError(l, 2, "random", "interval is empty");
                }
                l.push(Math.floor(r * (u - lo + 1)) + lo);
            }
            default -> {
                return plainError(l, "wrong number of arguments");
            }
        }
        return 1;
    }

    private static int checkInt(Lua l, int i, String fn) {
        if (!l.isNumber(i)) {
            String got = l.isNone(i) ? "no value" : l.type(i).toString().toLowerCase(Locale.ROOT);
            throw new BitLibrary.BadArgument("bad argument #" + i + " to '" + fn + "' (number expected, got " + got + ")");
        }
        return (int) (long) l.toNumber(i);
    }

    private int argError(Lua l, int i, String fn, String msg) {
        return plainError(l, "bad argument #" + i + " to '" + fn + "' (" + msg + ")");
    }

    private int plainError(Lua l, String msg) {
        l.push(engine.where(l) + msg);
        return -1;
    }

    /** Returns {err="ERR msg"} as a value, as error_reply/status_reply do with bad arguments (no raise). */
    private int errorValue(Lua l, String msg) {
        replies.pushErrorTable(l, msg, false);
        return 1;
    }

    /** Raises {err="ERR msg"} as luaPushError + luaError do. */
    private int error(Lua l, String msg) {
        replies.pushErrorTable(l, msg, false);
        return -1;
    }

    private void fn(Lua l, String name, JFunction f) {
        l.push(BitLibrary.guarded(engine, f));
        l.setField(-2, name);
    }

    private static void num(Lua l, String name, double v) {
        l.push(v);
        l.setField(-2, name);
    }

    private static int versionNum(String v) {
        String[] p = v.split("\\.");
        return (Integer.parseInt(p[0]) << 16) | (Integer.parseInt(p[1]) << 8) | Integer.parseInt(p[2]);
    }
}
