package io.rookery.node.scripting;

import java.io.ByteArrayOutputStream;
import party.iroiro.luajava.Lua;

/**
 * The {@code cmsgpack} table (lua-cmsgpack 0.4 as Redis bundles it): pack(...) encodes its
 * arguments back to back (numbers as the smallest integer form when integral, else float when
 * lossless, else double; tables with keys 1..n as arrays, others as maps; nesting beyond 16 as nil);
 * unpack, unpack_one and unpack_limit decode a stream.
 */
final class CmsgpackLibrary {
    private static final int MAX_NESTING = 16;

    private final LuaEngine engine;

    private CmsgpackLibrary(LuaEngine engine) {
        this.engine = engine;
    }

    static void register(LuaEngine engine) {
        CmsgpackLibrary lib = new CmsgpackLibrary(engine);
        Lua l = engine.lua();
        l.newTable();
        l.push(BitLibrary.guarded(engine, lib::pack));
        l.setField(-2, "pack");
        l.push(BitLibrary.guarded(engine, x -> lib.unpack(x, 0, 0)));
        l.setField(-2, "unpack");
        l.push(BitLibrary.guarded(engine, x -> {
            long offset = x.getTop() >= 2 && !x.isNil(2) ? checkInteger(x, 2, "unpack_one") : 0;
            x.setTop(1);
            return lib.unpack(x, 1, offset);
        }));
        l.setField(-2, "unpack_one");
        l.push(BitLibrary.guarded(engine, x -> {
            long limit = checkInteger(x, 2, "unpack_limit");
            long offset = x.getTop() >= 3 && !x.isNil(3) ? checkInteger(x, 3, "unpack_limit") : 0;
            x.setTop(1);
            return lib.unpack(x, limit, offset);
        }));
        l.setField(-2, "unpack_limit");
        l.push("lua-cmsgpack");
        l.setField(-2, "_NAME");
        l.push("lua-cmsgpack 0.4.0");
        l.setField(-2, "_VERSION");
        engine.setRealGlobal("cmsgpack");
    }

    private static long checkInteger(Lua l, int i, String fn) {
        if (!l.isNumber(i)) {
            String got = l.isNone(i) ? "no value" : l.type(i).toString().toLowerCase(java.util.Locale.ROOT);
            throw new BitLibrary.BadArgument("bad argument #" + i + " to '" + fn + "' (number expected, got " + got + ")");
        }
        return (long) l.toNumber(i);
    }

    // ---------------------------------------------------------------- pack

    private int pack(Lua l) {
        int n = l.getTop();
        if (n == 0) {
            throw new BitLibrary.BadArgument("bad argument #0 to 'pack' (MessagePack pack needs input.)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= n; i++) {
            l.pushValue(i);
            encode(l, out, 0);
        }
        engine.pushBytes(l, out.toByteArray());
        return 1;
    }

    /** Encodes and pops the value on top of the stack. */
    private void encode(Lua l, ByteArrayOutputStream out, int level) {
        Lua.LuaType t = l.type(-1);
        if (t == Lua.LuaType.TABLE && level == MAX_NESTING) {
            t = Lua.LuaType.NIL;
        }
        switch (t) {
            case STRING -> encodeBytes(LuaEngine.bytes(l, -1), out);
            case BOOLEAN -> out.write(l.toBoolean(-1) ? 0xc3 : 0xc2);
            case NUMBER -> encodeNumber(l.toNumber(-1), out);
            case TABLE -> {
                l.checkStack(3);
                if (isArray(l)) {
                    int len = l.rawLength(-1);
                    header(out, len, 0x90, 0xdc, 0xdd);
                    for (int j = 1; j <= len; j++) {
                        // raw: a metamethod raising here would unwind through the Java frames
                        l.rawGetI(-1, j);
                        encode(l, out, level + 1);
                    }
                } else {
                    int len = 0;
                    l.pushNil();
                    while (l.next(-2) != 0) {
                        l.pop(1);
                        len++;
                    }
                    header(out, len, 0x80, 0xde, 0xdf);
                    l.pushNil();
                    while (l.next(-2) != 0) {
                        l.pushValue(-2);
                        encode(l, out, level + 1);
                        encode(l, out, level + 1);
                    }
                }
            }
            default -> out.write(0xc0);
        }
        l.pop(1);
    }

    private static boolean isArray(Lua l) {
        int count = 0;
        double max = 0;
        l.pushNil();
        while (l.next(-2) != 0) {
            l.pop(1);
            if (l.type(-1) != Lua.LuaType.NUMBER) {
                l.pop(1);
                return false;
            }
            double n = l.toNumber(-1);
            if (n <= 0 || n != (int) n) {
                l.pop(1);
                return false;
            }
            max = Math.max(max, n);
            count++;
        }
        return max == count;
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int b16, int b32) {
        if (n <= 15) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(b16);
            be(out, n, 2);
        } else {
            out.write(b32);
            be(out, n, 4);
        }
    }

    private static void encodeBytes(byte[] s, ByteArrayOutputStream out) {
        int len = s.length;
        if (len < 32) {
            out.write(0xa0 | len);
        } else if (len <= 0xff) {
            out.write(0xd9);
            out.write(len);
        } else if (len <= 0xffff) {
            out.write(0xda);
            be(out, len, 2);
        } else {
            out.write(0xdb);
            be(out, len, 4);
        }
        out.writeBytes(s);
    }

    private static void encodeNumber(double n, ByteArrayOutputStream out) {
        if (n >= -9.223372036854776E18 && n < 9.223372036854776E18 && n == (long) n) {
            encodeInt((long) n, out);
            return;
        }
        float f = (float) n;
        if (n == (double) f) {
            out.write(0xca);
            be(out, Float.floatToRawIntBits(f) & 0xffffffffL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToRawLongBits(n), 8);
        }
    }

    private static void encodeInt(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else {
            if (n >= -32) {
                out.write((int) (n & 0xff));
            } else if (n >= -128) {
                out.write(0xd0);
                out.write((int) (n & 0xff));
            } else if (n >= -32768) {
                out.write(0xd1);
                be(out, n, 2);
            } else if (n >= -2147483648L) {
                out.write(0xd2);
                be(out, n, 4);
            } else {
                out.write(0xd3);
                be(out, n, 8);
            }
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    // ---------------------------------------------------------------- unpack

    private static final class Eof extends RuntimeException {
        Eof() {
            super(null, null, false, false);
        }
    }

    private static final class BadFormat extends RuntimeException {
        BadFormat() {
            super(null, null, false, false);
        }
    }

    private int unpack(Lua l, long limit, long offset) {
        if (l.type(1) != Lua.LuaType.STRING && l.type(1) != Lua.LuaType.NUMBER) {
            String got = l.isNone(1) ? "no value" : l.type(1).toString().toLowerCase(java.util.Locale.ROOT);
            throw new BitLibrary.BadArgument("bad argument #1 to 'unpack' (string expected, got " + got + ")");
        }
        byte[] s = LuaEngine.bytes(l, 1);
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new BitLibrary.BadArgument("Invalid request to unpack with offset of " + offset + " and limit of " + s.length + ".");
        }
        if (offset > s.length) {
            throw new BitLibrary.BadArgument("Start offset " + offset + " greater than input length " + s.length + ".");
        }
        if (all) {
            limit = Integer.MAX_VALUE;
        }
        int[] pos = {(int) offset};
        int count = 0;
        for (; pos[0] < s.length && count < limit; count++) {
            l.checkStack(2);
            try {
                decode(l, s, pos);
            } catch (Eof e) {
                throw new BitLibrary.BadArgument("Missing bytes in input.");
            } catch (BadFormat e) {
                throw new BitLibrary.BadArgument("Bad data format in input.");
            }
        }
        if (!all) {
            l.push((double) (pos[0] >= s.length ? -1 : pos[0]));
            l.insert(2);
            count++;
        }
        return count;
    }

    private static long read(byte[] s, int[] pos, int bytes) {
        if (pos[0] + bytes > s.length) {
            throw new Eof();
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (s[pos[0] + i] & 0xff);
        }
        pos[0] += bytes;
        return v;
    }

    private void decode(Lua l, byte[] s, int[] pos) {
        int b = (int) read(s, pos, 1);
        switch (b) {
            case 0xcc -> l.push((double) read(s, pos, 1));
            case 0xd0 -> l.push((double) (byte) read(s, pos, 1));
            case 0xcd -> l.push((double) read(s, pos, 2));
            case 0xd1 -> l.push((double) (short) read(s, pos, 2));
            case 0xce -> l.push((double) read(s, pos, 4));
            case 0xd2 -> l.push((double) (int) read(s, pos, 4));
            case 0xcf -> {
                long v = read(s, pos, 8);
                l.push(v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1));
            }
            case 0xd3 -> l.push((double) read(s, pos, 8));
            case 0xc0 -> l.pushNil();
            case 0xc3 -> l.push(true);
            case 0xc2 -> l.push(false);
            case 0xca -> l.push((double) Float.intBitsToFloat((int) read(s, pos, 4)));
            case 0xcb -> l.push(Double.longBitsToDouble(read(s, pos, 8)));
            case 0xd9, 0xc4 -> string(l, s, pos, (int) read(s, pos, 1));
            case 0xda, 0xc5 -> string(l, s, pos, (int) read(s, pos, 2));
            case 0xdb, 0xc6 -> string(l, s, pos, (int) read(s, pos, 4));
            case 0xdc -> array(l, s, pos, (int) read(s, pos, 2));
            case 0xdd -> array(l, s, pos, (int) read(s, pos, 4));
            case 0xde -> map(l, s, pos, (int) read(s, pos, 2));
            case 0xdf -> map(l, s, pos, (int) read(s, pos, 4));
            default -> {
                if ((b & 0x80) == 0) {
                    l.push((double) b);
                } else if ((b & 0xe0) == 0xe0) {
                    l.push((double) (byte) b);
                } else if ((b & 0xe0) == 0xa0) {
                    string(l, s, pos, b & 0x1f);
                } else if ((b & 0xf0) == 0x90) {
                    array(l, s, pos, b & 0x0f);
                } else if ((b & 0xf0) == 0x80) {
                    map(l, s, pos, b & 0x0f);
                } else {
                    throw new BadFormat();
                }
            }
        }
    }

    private void string(Lua l, byte[] s, int[] pos, int len) {
        if (len < 0 || pos[0] + len > s.length) {
            throw new Eof();
        }
        engine.pushBytes(l, java.util.Arrays.copyOfRange(s, pos[0], pos[0] + len));
        pos[0] += len;
    }

    private void array(Lua l, byte[] s, int[] pos, int n) {
        l.checkStack(2);
        l.newTable();
        for (int i = 1; i <= n; i++) {
            decode(l, s, pos);
            l.rawSetI(-2, i);
        }
    }

    private void map(Lua l, byte[] s, int[] pos, int n) {
        l.checkStack(3);
        l.newTable();
        for (int i = 0; i < n; i++) {
            decode(l, s, pos);
            decode(l, s, pos);
            if (l.type(-2) == Lua.LuaType.NIL || l.type(-2) == Lua.LuaType.NUMBER && Double.isNaN(l.toNumber(-2))) {
                l.pop(2); // a nil or NaN key cannot be stored (lua_settable would raise across the Java frames)
                continue;
            }
            l.setTable(-3);
        }
    }
}
