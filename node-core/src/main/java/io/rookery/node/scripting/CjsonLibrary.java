package io.rookery.node.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The {@code cjson} table (lua-cjson 2.1 as Redis bundles it): encode and decode with its defaults
 * (14 significant digits, "\/" escaped, tables with only positive integer keys as arrays unless
 * excessively sparse, an empty table as {}, JSON null as the lightuserdata {@code cjson.null}, depth
 * limits of 1000) and its error texts.
 */
final class CjsonLibrary {
    private static final String[] ESCAPES = new String[256];

    static {
        for (int c = 0; c < 32; c++) {
            ESCAPES[c] = String.format("\\u%04x", c);
        }
        ESCAPES['\b'] = "\\b";
        ESCAPES['\t'] = "\\t";
        ESCAPES['\n'] = "\\n";
        ESCAPES['\f'] = "\\f";
        ESCAPES['\r'] = "\\r";
        ESCAPES['"'] = "\\\"";
        ESCAPES['/'] = "\\/";
        ESCAPES['\\'] = "\\\\";
        ESCAPES[127] = "\\u007f";
    }

    private final LuaEngine engine;
    private int encodeMaxDepth = 1000;
    private int decodeMaxDepth = 1000;
    private int precision = 14;
    private int sparseConvert = 0;
    private int sparseRatio = 2;
    private int sparseSafe = 10;
    /** 0: refuse NaN/Inf, 1: write them as C prints them, 2: write null. */
    private int encodeInvalidNumbers = 0;
    /** Redis builds lua-cjson without DISABLE_INVALID_NUMBERS: NaN, Infinity and hex are read by default. */
    private int decodeInvalidNumbers = 1;
    private int keepBuffer = 1;

    private CjsonLibrary(LuaEngine engine) {
        this.engine = engine;
    }

    static void register(LuaEngine engine) {
        CjsonLibrary lib = new CjsonLibrary(engine);
        Lua l = engine.lua();
        l.newTable();
        put(engine, l, "encode", lib::encode);
        put(engine, l, "decode", lib::decode);
        put(engine, l, "encode_max_depth", x -> {
            argInit(x, 1, "encode_max_depth");
            return lib.intOption(x, 1, "encode_max_depth", 1, Integer.MAX_VALUE, v -> lib.encodeMaxDepth = v, () -> lib.encodeMaxDepth);
        });
        put(engine, l, "decode_max_depth", x -> {
            argInit(x, 1, "decode_max_depth");
            return lib.intOption(x, 1, "decode_max_depth", 1, Integer.MAX_VALUE, v -> lib.decodeMaxDepth = v, () -> lib.decodeMaxDepth);
        });
        put(engine, l, "encode_number_precision", x -> {
            argInit(x, 1, "encode_number_precision");
            return lib.intOption(x, 1, "encode_number_precision", 1, 14, v -> lib.precision = v, () -> lib.precision);
        });
        put(engine, l, "encode_keep_buffer", x -> {
            argInit(x, 1, "encode_keep_buffer");
            return lib.enumOption(x, 1, "encode_keep_buffer", BOOL_OPTIONS, v -> lib.keepBuffer = v, () -> lib.keepBuffer);
        });
        put(engine, l, "encode_invalid_numbers", x -> {
            argInit(x, 1, "encode_invalid_numbers");
            return lib.enumOption(x, 1, "encode_invalid_numbers", new String[] {"off", "on", "null"},
                    v -> lib.encodeInvalidNumbers = v, () -> lib.encodeInvalidNumbers);
        });
        put(engine, l, "decode_invalid_numbers", x -> {
            argInit(x, 1, "decode_invalid_numbers");
            return lib.enumOption(x, 1, "decode_invalid_numbers", BOOL_OPTIONS, v -> lib.decodeInvalidNumbers = v,
                    () -> lib.decodeInvalidNumbers);
        });
        put(engine, l, "encode_sparse_array", x -> {
            argInit(x, 3, "encode_sparse_array");
            lib.enumOption(x, 1, "encode_sparse_array", BOOL_OPTIONS, v -> lib.sparseConvert = v, () -> lib.sparseConvert);
            lib.intOption(x, 2, "encode_sparse_array", 0, Integer.MAX_VALUE, v -> lib.sparseRatio = v, () -> lib.sparseRatio);
            lib.intOption(x, 3, "encode_sparse_array", 0, Integer.MAX_VALUE, v -> lib.sparseSafe = v, () -> lib.sparseSafe);
            return 3;
        });
        pushNull(l);
        l.setField(-2, "null");
        l.push("2.1.0");
        l.setField(-2, "_VERSION");
        l.push("cjson");
        l.setField(-2, "_NAME");
        engine.setRealGlobal("cjson");
    }

    private static void put(LuaEngine engine, Lua l, String name, JFunction f) {
        l.push(BitLibrary.guarded(engine, f));
        l.setField(-2, name);
    }

    private static void pushNull(Lua l) {
        ((Lua51Natives) l.getLuaNatives()).lua_pushlightuserdata(l.getPointer(), 0);
    }

    private static boolean isNull(Lua l, int index) {
        return l.type(index) == Lua.LuaType.LIGHTUSERDATA
                && ((Lua51Natives) l.getLuaNatives()).lua_touserdata(l.getPointer(), index) == 0;
    }

    private static final String[] BOOL_OPTIONS = {"off", "on"};

    /** json_arg_init: at most {@code args} arguments, padded with nils. */
    private static void argInit(Lua l, int args, String fn) {
        if (l.getTop() > args) {
            throw new BitLibrary.BadArgument("bad argument #" + (args + 1) + " to '" + fn + "' (found too many arguments)");
        }
        while (l.getTop() < args) {
            l.pushNil();
        }
    }

    private int intOption(Lua l, int index, String fn, int min, int max, java.util.function.IntConsumer set,
            java.util.function.IntSupplier get) {
        if (l.type(index) != Lua.LuaType.NIL) {
            if (!l.isNumber(index)) {
                String got = l.type(index).toString().toLowerCase(java.util.Locale.ROOT);
                throw new BitLibrary.BadArgument("bad argument #" + index + " to '" + fn + "' (number expected, got " + got + ")");
            }
            long v = (long) l.toNumber(index);
            if (v < min || v > max) {
                throw new BitLibrary.BadArgument("bad argument #1 to '" + fn + "' (expected integer between " + min + " and " + max + ")");
            }
            set.accept((int) v);
        }
        l.push((double) get.getAsInt());
        return 1;
    }

    private int enumOption(Lua l, int index, String fn, String[] options, java.util.function.IntConsumer set,
            java.util.function.IntSupplier get) {
        if (l.type(index) != Lua.LuaType.NIL) {
            if (l.type(index) == Lua.LuaType.BOOLEAN) {
                set.accept(l.toBoolean(index) ? 1 : 0);
            } else {
                String v = l.type(index) == Lua.LuaType.STRING ? l.toString(index) : null;
                int found = -1;
                for (int i = 0; v != null && i < options.length; i++) {
                    if (options[i].equals(v)) {
                        found = i;
                    }
                }
                if (found < 0) {
                    throw new BitLibrary.BadArgument("bad argument #" + index + " to '" + fn + "' (invalid option '" + v + "')");
                }
                set.accept(found);
            }
        }
        int setting = get.getAsInt();
        if (setting == 0 || setting == 1) {
            l.push(setting == 1);
        } else {
            l.push(options[setting]);
        }
        return 1;
    }

    // ---------------------------------------------------------------- encode

    private int encode(Lua l) {
        if (l.getTop() != 1) {
            throw new BitLibrary.BadArgument("bad argument #1 to 'encode' (expected 1 argument)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(l, 0, out);
        engine.pushBytes(l, out.toByteArray());
        return 1;
    }

    private void append(Lua l, int depth, ByteArrayOutputStream out) {
        switch (l.type(-1)) {
            case STRING -> appendString(LuaEngine.bytes(l, -1), out);
            case NUMBER -> appendNumber(l, l.toNumber(-1), out);
            case BOOLEAN -> ascii(out, l.toBoolean(-1) ? "true" : "false");
            case NIL -> ascii(out, "null");
            case TABLE -> {
                depth++;
                if (depth > encodeMaxDepth) {
                    throw new BitLibrary.BadArgument("Cannot serialise, excessive nesting (" + depth + ")");
                }
                l.checkStack(3);
                int len = arrayLength(l);
                if (len > 0) {
                    appendArray(l, depth, len, out);
                } else {
                    appendObject(l, depth, out);
                }
            }
            case LIGHTUSERDATA -> {
                if (isNull(l, -1)) {
                    ascii(out, "null");
                } else {
                    throw cannotSerialise(l, "type not supported");
                }
            }
            default -> throw cannotSerialise(l, "type not supported");
        }
    }

    private static BitLibrary.BadArgument cannotSerialise(Lua l, String why) {
        String type = l.type(-1).toString().toLowerCase(java.util.Locale.ROOT);
        return new BitLibrary.BadArgument("Cannot serialise " + type + ": " + why);
    }

    /** lua_array_length: the highest index when every key is a positive integer, else -1 (or an error when too sparse). */
    private int arrayLength(Lua l) {
        double max = 0;
        int items = 0;
        l.pushNil();
        while (l.next(-2) != 0) {
            if (l.type(-2) == Lua.LuaType.NUMBER) {
                double k = l.toNumber(-2);
                if (Math.floor(k) == k && k >= 1) {
                    max = Math.max(max, k);
                    items++;
                    l.pop(1);
                    continue;
                }
            }
            l.pop(2);
            return -1;
        }
        if (sparseRatio > 0 && max > items * (double) sparseRatio && max > sparseSafe) {
            if (sparseConvert == 0) {
                throw new BitLibrary.BadArgument("Cannot serialise table: excessively sparse array");
            }
            return -1;
        }
        return (int) max;
    }

    private void appendArray(Lua l, int depth, int len, ByteArrayOutputStream out) {
        out.write('[');
        for (int i = 1; i <= len; i++) {
            if (i > 1) {
                out.write(',');
            }
            l.rawGetI(-1, i);
            append(l, depth, out);
            l.pop(1);
        }
        out.write(']');
    }

    private void appendObject(Lua l, int depth, ByteArrayOutputStream out) {
        out.write('{');
        boolean first = true;
        l.pushNil();
        while (l.next(-2) != 0) {
            if (!first) {
                out.write(',');
            }
            first = false;
            Lua.LuaType kt = l.type(-2);
            if (kt == Lua.LuaType.NUMBER) {
                out.write('"');
                appendNumber(l, l.toNumber(-2), out);
                out.write('"');
            } else if (kt == Lua.LuaType.STRING) {
                appendString(LuaEngine.bytes(l, -2), out);
            } else {
                throw new BitLibrary.BadArgument("Cannot serialise table: table key must be a number or string");
            }
            out.write(':');
            append(l, depth, out);
            l.pop(1);
        }
        out.write('}');
    }

    private void appendNumber(Lua l, double d, ByteArrayOutputStream out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (encodeInvalidNumbers == 0) {
                throw new BitLibrary.BadArgument("Cannot serialise number: must not be NaN or Inf");
            }
            if (encodeInvalidNumbers == 2) {
                ascii(out, "null");
                return;
            }
        }
        ascii(out, CFormat.g(d, precision));
    }

    private static void appendString(byte[] s, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : s) {
            String esc = ESCAPES[b & 0xff];
            if (esc != null) {
                ascii(out, esc);
            } else {
                out.write(b);
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- decode

    private int decode(Lua l) {
        if (l.getTop() != 1) {
            throw new BitLibrary.BadArgument("bad argument #1 to 'decode' (expected 1 argument)");
        }
        if (l.type(1) != Lua.LuaType.STRING && l.type(1) != Lua.LuaType.NUMBER) {
            String got = l.type(1).toString().toLowerCase(java.util.Locale.ROOT);
            throw new BitLibrary.BadArgument("bad argument #1 to 'decode' (string expected, got " + got + ")");
        }
        byte[] json = LuaEngine.bytes(l, 1);
        if (json.length >= 2 && (json[0] == 0 || json[1] == 0)) {
            throw new BitLibrary.BadArgument("JSON parser does not support UTF-16 or UTF-32");
        }
        new JsonParser(l, json).parse();
        return 1;
    }

    /** lua-cjson's tokenizer and recursive parser, pushing Lua values as it goes. */
    private final class JsonParser {
        private final Lua l;
        private final byte[] data;
        private int ptr;
        private int depth;
        // the current token
        private String type;
        private int index;
        private byte[] string;
        private double number;
        private boolean bool;
        private String error;

        JsonParser(Lua l, byte[] data) {
            this.l = l;
            this.data = data;
        }

        void parse() {
            next();
            value();
            next();
            if (!type.equals("T_END")) {
                fail("the end");
            }
        }

        private int at(int i) {
            return i < data.length ? data[i] & 0xff : 0;
        }

        private void next() {
            while (true) {
                int c = at(ptr);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    ptr++;
                } else {
                    break;
                }
            }
            index = ptr;
            int c = at(ptr);
            if (ptr >= data.length) {
                type = "T_END";
                return;
            }
            switch (c) {
                case '{' -> single("T_OBJ_BEGIN");
                case '}' -> single("T_OBJ_END");
                case '[' -> single("T_ARR_BEGIN");
                case ']' -> single("T_ARR_END");
                case ',' -> single("T_COMMA");
                case ':' -> single("T_COLON");
                case '"' -> stringToken();
                default -> {
                    if (c == '-' || c >= '0' && c <= '9') {
                        if (decodeInvalidNumbers == 0 && invalidNumber()) {
                            error("invalid number");
                            return;
                        }
                        numberToken();
                    } else if (startsWith("true")) {
                        type = "T_BOOLEAN";
                        bool = true;
                        ptr += 4;
                    } else if (startsWith("false")) {
                        type = "T_BOOLEAN";
                        bool = false;
                        ptr += 5;
                    } else if (startsWith("null")) {
                        type = "T_NULL";
                        ptr += 4;
                    } else if (decodeInvalidNumbers != 0 && invalidNumber()) {
                        numberToken();
                    } else {
                        error("invalid token");
                    }
                }
            }
        }

        private void single(String t) {
            type = t;
            ptr++;
        }

        private void error(String what) {
            type = "T_ERROR";
            error = what;
            index = ptr;
        }

        private boolean startsWith(String word) {
            if (ptr + word.length() > data.length) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (data[ptr + i] != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWithIgnoreCase(int p, String word) {
            for (int i = 0; i < word.length(); i++) {
                if ((at(p + i) | 0x20) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean invalidNumber() {
            int p = ptr;
            if (at(p) == '-') {
                p++;
            }
            if (at(p) == '0') {
                int c2 = at(p + 1);
                return (c2 | 0x20) == 'x' || c2 >= '0' && c2 <= '9';
            }
            if (at(p) <= '9') {
                return false;
            }
            return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
        }

        private void numberToken() {
            int[] end = {ptr};
            Double v = Strtod.parse(data, ptr, end);
            if (v == null) {
                error("invalid number");
                return;
            }
            number = v;
            type = "T_NUMBER";
            ptr = end[0];
        }

        private void stringToken() {
            ptr++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (ptr >= data.length) {
                    error("unexpected end of string");
                    return;
                }
                int c = at(ptr);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    int e = at(ptr + 1);
                    int ch = switch (e) {
                        case '"', '\\', '/' -> e;
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'u' -> -2;
                        default -> -1;
                    };
                    if (ch == -2) {
                        if (!unicodeEscape(out)) {
                            error("invalid unicode escape code");
                            return;
                        }
                        continue;
                    }
                    if (ch == -1) {
                        error("invalid escape code");
                        return;
                    }
                    out.write(ch);
                    ptr += 2;
                    continue;
                }
                out.write(c);
                ptr++;
            }
            ptr++;
            type = "T_STRING";
            string = out.toByteArray();
        }

        private int hex4(int at) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(at(at + i), 16);
                if (d < 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            return v;
        }

        /** \\uXXXX (and a surrogate pair) as UTF-8; false when invalid. */
        private boolean unicodeEscape(ByteArrayOutputStream out) {
            int cp = hex4(ptr + 2);
            int len = 6;
            if (cp < 0) {
                return false;
            }
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0xFC00) != 0xD800 || at(ptr + 6) != '\\' || at(ptr + 7) != 'u') {
                    return false;
                }
                int low = hex4(ptr + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) {
                    return false;
                }
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                len = 12;
            }
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            ptr += len;
            return true;
        }

        private void fail(String expected) {
            String found = type.equals("T_ERROR") ? error : type;
            throw new BitLibrary.BadArgument("Expected " + expected + " but found " + found + " at character " + (index + 1));
        }

        private void descend(int slots) {
            depth++;
            if (depth > decodeMaxDepth) {
                throw new BitLibrary.BadArgument("Found too many nested data structures (" + depth + ") at character " + ptr);
            }
            l.checkStack(slots);
        }

        private void value() {
            switch (type) {
                case "T_STRING" -> engine.pushBytes(l, string);
                case "T_NUMBER" -> l.push(number);
                case "T_BOOLEAN" -> l.push(bool);
                case "T_NULL" -> pushNull(l);
                case "T_OBJ_BEGIN" -> object();
                case "T_ARR_BEGIN" -> array();
                default -> fail("value");
            }
        }

        private void object() {
            descend(3);
            l.newTable();
            next();
            if (type.equals("T_OBJ_END")) {
                depth--;
                return;
            }
            while (true) {
                if (!type.equals("T_STRING")) {
                    fail("object key string");
                }
                engine.pushBytes(l, string);
                next();
                if (!type.equals("T_COLON")) {
                    fail("colon");
                }
                next();
                value();
                l.rawSet(-3);
                next();
                if (type.equals("T_OBJ_END")) {
                    depth--;
                    return;
                }
                if (!type.equals("T_COMMA")) {
                    fail("comma or object end");
                }
                next();
            }
        }

        private void array() {
            descend(2);
            l.newTable();
            next();
            if (type.equals("T_ARR_END")) {
                depth--;
                return;
            }
            for (int i = 1; ; i++) {
                value();
                l.rawSetI(-2, i);
                next();
                if (type.equals("T_ARR_END")) {
                    depth--;
                    return;
                }
                if (!type.equals("T_COMMA")) {
                    fail("comma or array end");
                }
                next();
            }
        }
    }
}
