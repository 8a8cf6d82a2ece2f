package io.rookery.node.scripting;

import java.nio.charset.StandardCharsets;

/**
 * C's strtod over bytes, as lua-cjson reads numbers with it: optional sign, then "inf",
 * "infinity", "nan", a hexadecimal integer ("0x1F"), or a decimal with fraction and exponent;
 * the longest prefix that forms a number.
 */
final class Strtod {
    private Strtod() {
    }

    /** The number at {@code from}, with {@code end[0]} set past it; null when no number starts there. */
    static Double parse(byte[] s, int from, int[] end) {
        int p = from;
        boolean negative = false;
        if (p < s.length && (s[p] == '-' || s[p] == '+')) {
            negative = s[p] == '-';
            p++;
        }
        if (word(s, p, "infinity")) {
            end[0] = p + 8;
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (word(s, p, "inf")) {
            end[0] = p + 3;
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (word(s, p, "nan")) {
            end[0] = p + 3;
            return Double.NaN;
        }
        if (p + 1 < s.length && s[p] == '0' && (s[p + 1] | 0x20) == 'x' && p + 2 < s.length
                && Character.digit(s[p + 2], 16) >= 0) {
            int q = p + 2;
            double v = 0;
            while (q < s.length && Character.digit(s[q], 16) >= 0) {
                v = v * 16 + Character.digit(s[q], 16);
                q++;
            }
            end[0] = q;
            return negative ? -v : v;
        }
        int q = p;
        int digits = 0;
        while (q < s.length && s[q] >= '0' && s[q] <= '9') {
            q++;
            digits++;
        }
        if (q < s.length && s[q] == '.') {
            q++;
            while (q < s.length && s[q] >= '0' && s[q] <= '9') {
                q++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (q < s.length && (s[q] | 0x20) == 'e') {
            int e = q + 1;
            if (e < s.length && (s[e] == '+' || s[e] == '-')) {
                e++;
            }
            if (e < s.length && s[e] >= '0' && s[e] <= '9') {
                while (e < s.length && s[e] >= '0' && s[e] <= '9') {
                    e++;
                }
                q = e;
            }
        }
        end[0] = q;
        double v = Double.parseDouble(new String(s, from, q - from, StandardCharsets.US_ASCII));
        return v;
    }

    private static boolean word(byte[] s, int p, String w) {
        if (p + w.length() > s.length) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if ((s[p + i] | 0x20) != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
