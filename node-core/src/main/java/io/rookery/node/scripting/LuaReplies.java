package io.rookery.node.scripting;

import io.rookery.protocol.RespValue;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import party.iroiro.luajava.Lua;

/**
 * Reply conversion between Redis and Lua, as Redis's script_lua.c does it.
 *
 * <p>Redis → Lua ({@link #push}): integer → number, bulk → string, null bulk/array → false, status →
 * {ok=s}, error → {err=s}, array → table; RESP3: null → nil, boolean → boolean, double → {double=n},
 * map → {map={k=v}}, set → {set={m=true}}, big number → {big_number=s}, verbatim →
 * {verbatim_string={format=f, string=s}}; attributes are dropped.
 *
 * <p>Lua → Redis ({@link #toReply}): string → bulk, number → integer (truncated), boolean → :1 or
 * null under RESP2 (redis.setresp(2)) and a RESP3 boolean under 3, table → {err}, {ok}, {double},
 * {big_number}, {verbatim_string}, {map}, {set}, else an array up to the first nil; anything else → null.
 */
final class LuaReplies {
    private final LuaEngine engine;

    LuaReplies(LuaEngine engine) {
        this.engine = engine;
    }

    // ---------------------------------------------------------------- Redis → Lua

    /** Pushes a reply read in RESP {@code resp}: a RESP3 null becomes nil, RESP2's null bulk/array false. */
    void push(Lua l, RespValue v, int resp) {
        if (v instanceof RespValue.Null && resp == 3) {
            l.pushNil();
            return;
        }
        push(l, v);
    }

    void push(Lua l, RespValue v) {
        l.checkStack(4);
        if (v instanceof RespValue.Integer i) {
            l.push((double) i.value());
        } else if (v instanceof RespValue.BulkString b) {
            engine.pushBytes(l, b.value());
        } else if (v instanceof RespValue.SimpleString s) {
            l.newTable();
            engine.pushBytes(l, s.value().getBytes(StandardCharsets.UTF_8));
            l.setField(-2, "ok");
        } else if (v instanceof RespValue.Error e) {
            pushErrorTable(l, "-" + e.message(), true);
        } else if (v instanceof RespValue.BlobError e) {
            pushErrorTable(l, "-" + e.message(), true);
        } else if (v instanceof RespValue.Null) {
            l.push(false);
        } else if (v instanceof RespValue.Array a) {
            pushArray(l, a.elements());
        } else if (v instanceof RespValue.Push p) {
            pushArray(l, p.elements());
        } else if (v instanceof RespValue.Map m) {
            l.newTable();
            l.newTable();
            List<RespValue> e = m.entries();
            for (int i = 0; i + 1 < e.size(); i += 2) {
                push(l, e.get(i));
                push(l, e.get(i + 1));
                rawSetSafely(l);
            }
            l.setField(-2, "map");
        } else if (v instanceof RespValue.Set s) {
            l.newTable();
            l.newTable();
            for (RespValue m : s.elements()) {
                push(l, m);
                l.push(true);
                rawSetSafely(l);
            }
            l.setField(-2, "set");
        } else if (v instanceof RespValue.Boolean b) {
            l.push(b.value());
        } else if (v instanceof RespValue.Double d) {
            l.newTable();
            l.push(d.value());
            l.setField(-2, "double");
        } else if (v instanceof RespValue.BigNumber b) {
            l.newTable();
            l.push(b.value());
            l.setField(-2, "big_number");
        } else if (v instanceof RespValue.Verbatim vs) {
            l.newTable();
            l.newTable();
            engine.pushBytes(l, vs.text().getBytes(StandardCharsets.UTF_8));
            l.setField(-2, "string");
            l.push(vs.format());
            l.setField(-2, "format");
            l.setField(-2, "verbatim_string");
        } else if (v instanceof RespValue.Attribute at) {
            push(l, at.reply());
        }
    }

    /** t[k] = v for the table under k and v, dropping nil and NaN keys (Lua would raise across the Java frames). */
    private static void rawSetSafely(Lua l) {
        if (l.type(-2) == Lua.LuaType.NIL || l.type(-2) == Lua.LuaType.NUMBER && Double.isNaN(l.toNumber(-2))) {
            l.pop(2);
            return;
        }
        l.rawSet(-3);
    }

    private void pushArray(Lua l, List<RespValue> items) {
        l.createTable(items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            push(l, items.get(i));
            l.rawSetI(-2, i + 1);
        }
    }

    /**
     * Pushes {err="CODE message"} as luaPushErrorBuff builds it: a leading '-' means the first word
     * is the error code (ERR when there is only one word); without '-', the code is ERR.
     */
    void pushErrorTable(Lua l, String error, boolean ignoreStats) {
        String code;
        String msg;
        if (error.startsWith("-")) {
            int space = error.indexOf(' ');
            if (space < 0) {
                msg = error.substring(1);
                code = "ERR";
            } else {
                msg = error.substring(space + 1);
                code = error.substring(1, space);
            }
        } else {
            msg = error;
            code = "ERR";
        }
        msg = trim(msg);
        l.newTable();
        engine.pushBytes(l, (code + " " + msg).getBytes(StandardCharsets.UTF_8));
        l.setField(-2, "err");
        if (ignoreStats) {
            l.push(true);
            l.setField(-2, "ignore_error_stats_update");
        }
    }

    private static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '\r' || s.charAt(from) == '\n')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '\r' || s.charAt(to - 1) == '\n')) {
            to--;
        }
        return s.substring(from, to);
    }

    // ---------------------------------------------------------------- Lua → Redis

    /** Converts (and pops) the value on top of the stack; {@code resp} is the script's redis.setresp. */
    RespValue toReply(Lua l, int resp) {
        RespValue v = convert(l, resp, 0);
        l.pop(1);
        return v;
    }

    private RespValue convert(Lua l, int resp, int depth) {
        if (depth > 1000) {
            return new RespValue.Error("ERR reached lua stack limit");
        }
        switch (l.type(-1)) {
            case STRING:
                return new RespValue.BulkString(LuaEngine.bytes(l, -1));
            case BOOLEAN:
                if (resp == 2) {
                    return l.toBoolean(-1) ? new RespValue.Integer(1) : new RespValue.Null();
                }
                return new RespValue.Boolean(l.toBoolean(-1));
            case NUMBER:
                return new RespValue.Integer((long) l.toNumber(-1));
            case TABLE:
                return table(l, resp, depth);
            default:
                return new RespValue.Null();
        }
    }

    private RespValue table(Lua l, int resp, int depth) {
        if (rawField(l, "err") == Lua.LuaType.STRING) {
            String msg = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
            l.pop(1);
            return new RespValue.Error(msg);
        }
        l.pop(1);
        if (rawField(l, "ok") == Lua.LuaType.STRING) {
            String ok = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
            l.pop(1);
            return new RespValue.SimpleString(ok);
        }
        l.pop(1);
        if (rawField(l, "double") == Lua.LuaType.NUMBER) {
            double d = l.toNumber(-1);
            l.pop(1);
            return new RespValue.Double(d);
        }
        l.pop(1);
        if (rawField(l, "big_number") == Lua.LuaType.STRING) {
            String n = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
            l.pop(1);
            return new RespValue.BigNumber(n);
        }
        l.pop(1);
        if (rawField(l, "verbatim_string") == Lua.LuaType.TABLE) {
            if (rawField(l, "format") == Lua.LuaType.STRING) {
                String format = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
                if (rawField(l, "string", -2) == Lua.LuaType.STRING) {
                    String text = new String(LuaEngine.bytes(l, -1), StandardCharsets.UTF_8);
                    l.pop(3);
                    return new RespValue.Verbatim(format, text);
                }
                l.pop(1);
            }
            l.pop(1);
        }
        l.pop(1);
        if (rawField(l, "map") == Lua.LuaType.TABLE) {
            List<RespValue> entries = new ArrayList<>();
            l.pushNil();
            while (l.next(-2) != 0) {
                l.pushValue(-2);
                entries.add(convert(l, resp, depth + 1));
                l.pop(1);
                entries.add(convert(l, resp, depth + 1));
                l.pop(1);
            }
            l.pop(1);
            return new RespValue.Map(entries);
        }
        l.pop(1);
        if (rawField(l, "set") == Lua.LuaType.TABLE) {
            List<RespValue> members = new ArrayList<>();
            l.pushNil();
            while (l.next(-2) != 0) {
                l.pop(1);
                l.pushValue(-1);
                members.add(convert(l, resp, depth + 1));
                l.pop(1);
            }
            l.pop(1);
            return new RespValue.Set(members);
        }
        l.pop(1);
        List<RespValue> items = new ArrayList<>();
        for (int j = 1; ; j++) {
            l.rawGetI(-1, j);
            if (l.type(-1) == Lua.LuaType.NIL) {
                l.pop(1);
                break;
            }
            items.add(convert(l, resp, depth + 1));
            l.pop(1);
        }
        return new RespValue.Array(items);
    }

    private static Lua.LuaType rawField(Lua l, String name) {
        return rawField(l, name, -1);
    }

    /** Pushes table[name] (raw) for the table at {@code tableIndex} (relative to before the push). */
    private static Lua.LuaType rawField(Lua l, String name, int tableIndex) {
        l.push(name);
        l.rawGet(tableIndex - 1);
        return l.type(-1);
    }

    // ---------------------------------------------------------------- writing a converted reply

    /** Writes {@code v} to a client's writer, in the client's protocol. */
    static void write(RespWriter w, RespValue v) {
        if (v instanceof RespValue.Integer i) {
            w.integer(i.value());
        } else if (v instanceof RespValue.BulkString b) {
            w.bulk(b.value());
        } else if (v instanceof RespValue.SimpleString s) {
            w.simple(s.value());
        } else if (v instanceof RespValue.Error e) {
            w.error(e.message());
        } else if (v instanceof RespValue.BlobError e) {
            w.error(e.message());
        } else if (v instanceof RespValue.Null) {
            w.nullBulk();
        } else if (v instanceof RespValue.Boolean b) {
            w.bool(b.value());
        } else if (v instanceof RespValue.Double d) {
            w.dbl(d.value());
        } else if (v instanceof RespValue.BigNumber b) {
            w.bigNumber(b.value());
        } else if (v instanceof RespValue.Verbatim vs) {
            w.verbatim(vs.format(), vs.text());
        } else if (v instanceof RespValue.Array a) {
            w.array(a.elements().size());
            a.elements().forEach(e -> write(w, e));
        } else if (v instanceof RespValue.Push p) {
            w.array(p.elements().size());
            p.elements().forEach(e -> write(w, e));
        } else if (v instanceof RespValue.Set s) {
            w.set(s.elements().size());
            s.elements().forEach(e -> write(w, e));
        } else if (v instanceof RespValue.Map m) {
            w.map(m.entries().size() / 2);
            m.entries().forEach(e -> write(w, e));
        } else if (v instanceof RespValue.Attribute at) {
            write(w, at.reply());
        }
    }
}
