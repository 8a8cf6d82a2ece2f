package io.rookery.node.dispatch;

import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.Numbers;
import java.nio.charset.StandardCharsets;

/** Argument parsing with Redis's error texts; failures throw {@link CommandError}. */
public final class Args {
    private Args() {
    }

    public static long integer(byte[] arg) {
        return integer(arg, Errors.NOT_INTEGER);
    }

    public static long integer(byte[] arg, String error) {
        long v = Numbers.parseLong(arg);
        if (v == Numbers.INVALID && !Numbers.isLong(arg)) {
            throw new CommandError(error);
        }
        return v;
    }

    /** An integer in [min, max], else {@code error}. */
    public static long integer(byte[] arg, long min, long max, String error) {
        long v = integer(arg, error);
        if (v < min || v > max) {
            throw new CommandError(error);
        }
        return v;
    }

    public static double dbl(byte[] arg) {
        Double d = DoubleFormat.parse(arg);
        if (d == null) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        return d;
    }

    /** Case-insensitive comparison of an argument with an upper-case ASCII keyword. */
    public static boolean is(byte[] arg, String keyword) {
        if (arg.length != keyword.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public static String text(byte[] arg) {
        return new String(arg, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
