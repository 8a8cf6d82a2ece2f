package io.rookery.node.scripting;

import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;

/**
 * The {@code bit} table (LuaBitOp 1.0, as Redis bundles it): 32-bit operations on numbers, results
 * as signed 32-bit numbers; arguments are normalised modulo 2^32 after rounding, as LuaBitOp does.
 */
final class BitLibrary {
    private BitLibrary() {
    }

    static void register(LuaEngine engine) {
        Lua l = engine.lua();
        l.newTable();
        fn(engine, l, "tobit", x -> x.ret(x.arg(1)));
        fn(engine, l, "bnot", x -> x.ret(~x.arg(1)));
        fn(engine, l, "band", x -> x.fold((a, b) -> a & b));
        fn(engine, l, "bor", x -> x.fold((a, b) -> a | b));
        fn(engine, l, "bxor", x -> x.fold((a, b) -> a ^ b));
        fn(engine, l, "lshift", x -> x.ret(x.arg(1) << (x.arg(2) & 31)));
        fn(engine, l, "rshift", x -> x.ret(x.arg(1) >>> (x.arg(2) & 31)));
        fn(engine, l, "arshift", x -> x.ret(x.arg(1) >> (x.arg(2) & 31)));
        fn(engine, l, "rol", x -> x.ret(Integer.rotateLeft(x.arg(1), x.arg(2) & 31)));
        fn(engine, l, "ror", x -> x.ret(Integer.rotateRight(x.arg(1), x.arg(2) & 31)));
        fn(engine, l, "bswap", x -> x.ret(Integer.reverseBytes(x.arg(1))));
        l.push(guarded(engine, BitLibrary::tohex));
        l.setField(-2, "tohex");
        engine.setRealGlobal("bit");
    }

    private static int tohex(Lua l) {
        int b = Args.of(l, "tohex").arg(1);
        int n = l.isNoneOrNil(2) ? 8 : Args.of(l, "tohex").arg(2);
        boolean upper = false;
        if (n < 0) {
            n = -n;
            upper = true;
        }
        if (n > 8) {
            n = 8;
        }
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        char[] out = new char[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = digits.charAt(b & 15);
            b >>>= 4;
        }
        l.push(new String(out));
        return 1;
    }

    /**
     * Turns a {@link BadArgument} into a Lua error as luaL_error raises it: prefixed with the
     * position of the calling Lua code.
     */
    static JFunction guarded(LuaEngine engine, JFunction f) {
        return l -> {
            try {
                return f.__call(l);
            } catch (BadArgument e) {
                l.push(engine.where(l) + e.getMessage());
                return -1;
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(BitLibrary.class).error("scripting API function failed", e);
                l.push("ERR internal error in a scripting API function: " + e);
                return -1;
            }
        };
    }

    private interface Op {
        int apply(Args a);
    }

    private static void fn(LuaEngine engine, Lua l, String name, Op op) {
        l.push(guarded(engine, lua -> {
            Args a = Args.of(lua, name);
            lua.push((double) op.apply(a));
            return 1;
        }));
        l.setField(-2, name);
    }

    /** Argument access with LuaBitOp's conversion and luaL_checknumber's error text. */
    static final class Args {
        final Lua l;
        final String fn;

        private Args(Lua l, String fn) {
            this.l = l;
            this.fn = fn;
        }

        static Args of(Lua l, String fn) {
            return new Args(l, fn);
        }

        int arg(int i) {
            if (!l.isNumber(i)) {
                String got = l.isNone(i) ? "no value" : l.type(i).toString().toLowerCase(java.util.Locale.ROOT);
                throw new BadArgument("bad argument #" + i + " to '" + fn + "' (number expected, got " + got + ")");
            }
            double d = l.toNumber(i);
            return (int) (long) Math.rint(d);
        }

        int ret(int v) {
            return v;
        }

        int fold(java.util.function.IntBinaryOperator op) {
            int r = arg(1);
            int n = l.getTop();
            for (int i = 2; i <= n; i++) {
                r = op.applyAsInt(r, arg(i));
            }
            return r;
        }
    }

    /** A Lua argument error raised from Java; the JNI glue turns it into a Lua error. */
    static final class BadArgument extends RuntimeException {
        BadArgument(String message) {
            super(message, null, false, false);
        }
    }
}
