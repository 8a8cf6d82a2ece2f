package io.rookery.node.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The {@code struct} table Redis bundles (Roberto Ierusalimschy's struct library, Redis's
 * {@code lua_struct.c}): {@code struct.pack(fmt, ...)}, {@code struct.unpack(fmt, data [, pos])}
 * and {@code struct.size(fmt)}, with the sizes and alignment of Redis's x86-64/arm64 Linux build
 * (little-endian native order; short 2, int 4, long and size_t 8 bytes; maximum alignment 8).
 *
 * <p>The format grammar: {@code >} big endian, {@code <} little endian, {@code ![n]} alignment
 * (a power of 2, default 8), {@code x} a padding byte, {@code b/B h/H l/L T i[n]/I[n]} signed /
 * unsigned integers of 1, 2, 8, 8 and n (default 4, at most 32) bytes, {@code c[n]} n characters
 * ({@code c0}: the whole string when packing, the previous number as the length when unpacking),
 * {@code s} a zero-terminated string, {@code f} float, {@code d} double, spaces ignored. Errors
 * carry the library's texts ("bad argument #1 to 'pack' (invalid format option 'z')", "data string
 * too short", ...) after the calling script's position.
 */
final class StructLibrary {
    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;
    private static final double TWO_63 = 9.223372036854775808E18;

    private StructLibrary() {
    }

    static void register(LuaEngine engine) {
        Lua l = engine.lua();
        l.newTable();
        fn(engine, l, "pack", lua -> pack(engine, lua));
        fn(engine, l, "unpack", lua -> unpack(engine, lua));
        fn(engine, l, "size", StructLibrary::size);
        engine.setRealGlobal("struct");
    }

    private static void fn(LuaEngine engine, Lua l, String name, JFunction f) {
        l.push(BitLibrary.guarded(engine, f));
        l.setField(-2, name);
    }

    // ---------------------------------------------------------------- the format

    /** The format being read, with the byte order and alignment its control options set. */
    private static final class Format {
        final byte[] fmt;
        final String fn;
        int at;
        boolean little = true;
        int align = 1;

        Format(byte[] fmt, String fn) {
            this.fmt = fmt;
            this.fn = fn;
        }

        boolean more() {
            return at < fmt.length && fmt[at] != 0;
        }

        int next() {
            return fmt[at++] & 0xff;
        }

        /** The number after an option, or {@code fallback} when none follows. */
        int number(int fallback) {
            if (at >= fmt.length || !isDigit(fmt[at])) {
                return fallback;
            }
            int a = 0;
            do {
                int digit = fmt[at] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - digit) {
                    throw new BitLibrary.BadArgument("integral size overflow");
                }
                a = a * 10 + digit;
                at++;
            } while (at < fmt.length && isDigit(fmt[at]));
            return a;
        }

        /** The size of option {@code opt} (reading its count); 0 for options without data. */
        long size(int opt) {
            switch (opt) {
                case 'B', 'b', 'x':
                    return 1;
                case 'H', 'h':
                    return 2;
                case 'L', 'l', 'T', 'd':
                    return 8;
                case 'f':
                    return 4;
                case 'c':
                    return number(1);
                case 'i', 'I': {
                    int size = number(4);
                    if (size > MAX_INT_SIZE) {
                        throw new BitLibrary.BadArgument("integral size " + size + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    return size;
                }
                default:
                    return 0;
            }
        }

        /** Padding bytes that align an item of {@code size} at {@code position}. */
        long padding(long position, int opt, long size) {
            if (size == 0 || opt == 'c') {
                return 0;
            }
            if (size > align) {
                size = align;
            }
            return (size - (position & (size - 1))) & (size - 1);
        }

        /** Applies a control option (byte order, alignment, space); anything else is an invalid option. */
        void control(int opt) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = number(MAX_ALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) {
                        throw new BitLibrary.BadArgument("alignment " + a + " is not a power of 2");
                    }
                    align = a;
                }
                default -> throw argError(1, fn, "invalid format option '" + (char) opt + "'");
            }
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    // ---------------------------------------------------------------- pack

    private static int pack(LuaEngine engine, Lua l) {
        Format f = new Format(checkString(l, 1, "pack"), "pack");
        // b_pack pushes a nil to separate its arguments from its buffer: a missing argument reads as nil
        l.pushNil();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (f.more()) {
            int opt = f.next();
            long size = f.size(opt);
            long pad = f.padding(total, opt, size);
            total += pad;
            for (long i = 0; i < pad; i++) {
                out.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = checkNumber(l, arg++, "pack");
                    long value = n < 0 ? truncate(n) : toUnsigned(n);
                    writeInteger(out, value, (int) size, f.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> writeInteger(out, Float.floatToRawIntBits((float) checkNumber(l, arg++, "pack")) & 0xffffffffL,
                        4, f.little);
                case 'd' -> writeInteger(out, Double.doubleToRawLongBits(checkNumber(l, arg++, "pack")), 8, f.little);
                case 'c', 's' -> {
                    byte[] s = checkString(l, arg++, "pack");
                    if (size == 0) {
                        size = s.length;
                    }
                    if (s.length < size) {
                        throw argError(arg, "pack", "string too short");
                    }
                    out.write(s, 0, (int) size);
                    if (opt == 's') {
                        out.write(0);
                        size++;
                    }
                }
                default -> f.control(opt);
            }
            total += size;
        }
        l.pop(1);
        engine.pushBytes(l, out.toByteArray());
        return 1;
    }

    private static void writeInteger(ByteArrayOutputStream out, long value, int size, boolean little) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[little ? i : size - 1 - i] = (byte) value;
            value >>>= 8;
        }
        out.write(b, 0, size);
    }

    /** C's (long) cast of a double as x86-64 does it: out of range or NaN gives LONG_MIN. */
    private static long truncate(double d) {
        if (Double.isNaN(d) || d >= TWO_63 || d < -TWO_63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** C's (unsigned long) cast of a non-negative double as gcc compiles it on x86-64. */
    private static long toUnsigned(double d) {
        if (d >= TWO_63) {
            return truncate(d - TWO_63) ^ Long.MIN_VALUE;
        }
        return truncate(d);
    }

    // ---------------------------------------------------------------- unpack

    private static int unpack(LuaEngine engine, Lua l) {
        Format f = new Format(checkString(l, 1, "unpack"), "unpack");
        byte[] data = checkString(l, 2, "unpack");
        long ld = data.length;
        long pos = 1;
        if (!l.isNoneOrNil(3)) {
            pos = (long) checkNumber(l, 3, "unpack");
        }
        if (pos == 0) {
            throw argError(3, "unpack", "offset must be 1 or greater");
        }
        pos--;
        List<Object> results = new ArrayList<>();
        while (f.more()) {
            int opt = f.next();
            long size = f.size(opt);
            pos += f.padding(pos, opt, size);
            if (!fits(pos, size, ld)) {
                throw argError(2, "unpack", "data string too short");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' ->
                        results.add(readInteger(data, (int) pos, (int) size, f.little, Character.isLowerCase(opt)));
                case 'x' -> { }
                case 'f' -> results.add((double) Float.intBitsToFloat((int) readBits(data, (int) pos, 4, f.little)));
                case 'd' -> results.add(Double.longBitsToDouble(readBits(data, (int) pos, 8, f.little)));
                case 'c' -> {
                    if (size == 0) {
                        Double previous = results.isEmpty() ? null : asNumber(results.get(results.size() - 1));
                        if (previous == null) {
                            throw new BitLibrary.BadArgument("format 'c0' needs a previous size");
                        }
                        size = toUnsigned(previous);
                        results.remove(results.size() - 1);
                        if (!fits(pos, size, ld)) {
                            throw argError(2, "unpack", "data string too short");
                        }
                    }
                    results.add(java.util.Arrays.copyOfRange(data, (int) pos, (int) (pos + size)));
                }
                case 's' -> {
                    int end = (int) pos;
                    while (end < data.length && data[end] != 0) {
                        end++;
                    }
                    if (end >= data.length) {
                        throw new BitLibrary.BadArgument("unfinished string in data");
                    }
                    results.add(java.util.Arrays.copyOfRange(data, (int) pos, end));
                    size = end - pos + 1;
                }
                default -> f.control(opt);
            }
            pos += size;
        }
        l.setTop(0);
        for (Object r : results) {
            if (r instanceof byte[] b) {
                engine.pushBytes(l, b);
            } else {
                l.push((double) (Double) r);
            }
        }
        l.push((double) (pos + 1));
        return results.size() + 1;
    }

    /** size <= ld && pos <= ld - size, as the C code compares (size_t: a negative count never fits). */
    private static boolean fits(long pos, long size, long ld) {
        return size >= 0 && pos >= 0 && size <= ld && pos <= ld - size;
    }

    private static long readBits(byte[] data, int pos, int size, boolean little) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v <<= 8;
            v |= data[pos + (little ? size - 1 - i : i)] & 0xffL;
        }
        return v;
    }

    private static double readInteger(byte[] data, int pos, int size, boolean little, boolean signed) {
        long v = readBits(data, pos, size, little);
        if (!signed) {
            return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
        long mask = -1L << (size * 8 - 1);
        if ((v & mask) != 0) {
            v |= mask;
        }
        return (double) v;
    }

    /** lua_isnumber/lua_tonumber on an earlier result: numbers, and strings that read as numbers. */
    private static Double asNumber(Object r) {
        if (r instanceof Double d) {
            return d;
        }
        String s = new String((byte[]) r, StandardCharsets.ISO_8859_1).trim();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return (double) Long.parseLong(s.substring(2), 16);
            }
            return s.isEmpty() || s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")
                    ? null : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- size

    private static int size(Lua l) {
        Format f = new Format(checkString(l, 1, "size"), "size");
        long pos = 0;
        while (f.more()) {
            int opt = f.next();
            long size = f.size(opt);
            pos += f.padding(pos, opt, size);
            if (opt == 's') {
                throw argError(1, "size", "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw argError(1, "size", "option 'c0' has no fixed size");
            }
            if (!Character.isLetterOrDigit(opt) || opt > 127) {
                f.control(opt);
            }
            pos += size;
        }
        l.push((double) pos);
        return 1;
    }

    // ---------------------------------------------------------------- arguments (lauxlib's checks and texts)

    private static byte[] checkString(Lua l, int i, String fn) {
        Lua.LuaType t = l.type(i);
        if (t != Lua.LuaType.STRING && t != Lua.LuaType.NUMBER) {
            throw typeError(l, i, fn, "string");
        }
        return LuaEngine.bytes(l, i);
    }

    private static double checkNumber(Lua l, int i, String fn) {
        if (!l.isNumber(i)) {
            throw typeError(l, i, fn, "number");
        }
        return l.toNumber(i);
    }

    private static BitLibrary.BadArgument typeError(Lua l, int i, String fn, String expected) {
        String got = l.isNone(i) ? "no value" : l.type(i).toString().toLowerCase(Locale.ROOT);
        return argError(i, fn, expected + " expected, got " + got);
    }

    private static BitLibrary.BadArgument argError(int i, String fn, String msg) {
        return new BitLibrary.BadArgument("bad argument #" + i + " to '" + fn + "' (" + msg + ")");
    }
}
