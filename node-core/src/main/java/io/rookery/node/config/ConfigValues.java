package io.rookery.node.config;

import java.util.Locale;

/** Parsers for the value kinds of Redis configuration, with Redis's rejection texts. */
public final class ConfigValues {
    private ConfigValues() {
    }

    static boolean bool(String v) throws ConfigException {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "yes":
                return true;
            case "no":
                return false;
            default:
                throw new ConfigException("argument must be 'yes' or 'no'");
        }
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static long integer(String v, long min, long max) throws ConfigException {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        if (n < min || n > max) {
            throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    /** Redis's memtoull: a number with an optional b, k, kb, m, mb, g, gb unit (k = 1000, kb = 1024). */
    static long memory(String v, long min, long max) throws ConfigException {
        long n = parseMemory(v);
        if (n < 0) {
            throw new ConfigException("argument must be a memory value");
        }
        if (n < min || n > max) {
            throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    /** Redis's memtoull: bytes, or -1 when {@code v} is not a memory value. */
    public static long parseMemory(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String digits = s;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
                {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                digits = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                return -1;
            }
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return -1;
        }
    }

    static String oneOf(String v, String... allowed) throws ConfigException {
        String lower = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
    }
}
