package io.rookery.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as Redis 7.0 prints them: C's {@code %.17g} for scores and RESP3 doubles, with
 * {@code inf}, {@code -inf} and {@code nan}; and the "human" long-double form of INCRBYFLOAT.
 */
public final class DoubleFormat {
    private DoubleFormat() {
    }

    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    /** C's {@code printf("%.17g", d)}: 17 significant digits, trailing zeros dropped. */
    public static String g17(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return "0"; // Redis prints a negative zero score as 0
        }
        BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= 17) {
            BigDecimal unscaled = rounded.stripTrailingZeros();
            String digits = unscaled.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (unscaled.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                sb.append('0');
            }
            sb.append(abs);
            return sb.toString();
        }
        String plain = rounded.stripTrailingZeros().toPlainString();
        return plain;
    }

    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final java.math.BigInteger MANTISSA_MIN = java.math.BigInteger.ONE.shiftLeft(63);
    private static final java.math.BigInteger MANTISSA_LIMIT = java.math.BigInteger.ONE.shiftLeft(64);

    /**
     * Rounds an exact decimal to the nearest x87 80-bit long double (64-bit mantissa, ties to even),
     * the type Redis's INCRBYFLOAT parses into and adds in; the result is that binary value, exactly.
     */
    public static BigDecimal toLongDouble(BigDecimal x) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal abs = x.abs();
        int e = (int) Math.floor((abs.precision() - abs.scale()) * 3.321928094887362) - 64;
        java.math.BigInteger m;
        while (true) {
            BigDecimal scaled = e >= 0 ? abs.divide(TWO.pow(e)) : abs.multiply(TWO.pow(-e));
            m = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
            if (m.compareTo(MANTISSA_LIMIT) >= 0) {
                e++;
            } else if (m.compareTo(MANTISSA_MIN) < 0) {
                e--;
            } else {
                break;
            }
        }
        BigDecimal v = new BigDecimal(m);
        v = e >= 0 ? v.multiply(TWO.pow(e)) : v.divide(TWO.pow(-e));
        return x.signum() < 0 ? v.negate() : v;
    }

    /**
     * INCRBYFLOAT: {@code value + increment} as Redis computes it (both parsed to long double, summed,
     * rounded to long double) and printed as {@code %.17Lf} with trailing zeros and a bare point
     * removed ({@code ld2string} with LD_STR_HUMAN).
     */
    public static String addLongDouble(BigDecimal value, BigDecimal increment) {
        BigDecimal sum = toLongDouble(toLongDouble(value).add(toLongDouble(increment)));
        BigDecimal v = sum.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (v.signum() == 0) {
            return "0";
        }
        return v.toPlainString();
    }

    /**
     * Parses a float argument as Redis's {@code strtold}-based parsers accept it: decimal or exponent
     * notation, {@code inf}/{@code -inf}/{@code +inf}, no surrounding spaces. Returns null when invalid.
     */
    public static Double parse(byte[] s) {
        if (s.length == 0 || s.length > 5000) {
            return null;
        }
        String str = new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (Character.isWhitespace(str.charAt(0)) || Character.isWhitespace(str.charAt(str.length() - 1))) {
            return null;
        }
        switch (str.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "-nan", "+nan":
                return null;
            default:
                break;
        }
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
                return null;
            }
        }
        try {
            return Double.parseDouble(str);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses like {@link #parse} but keeps the exact decimal, for INCRBYFLOAT. Null when invalid. */
    public static BigDecimal parseExact(byte[] s) {
        Double d = parse(s);
        if (d == null || d.isInfinite()) {
            return null;
        }
        try {
            return new BigDecimal(new String(s, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
