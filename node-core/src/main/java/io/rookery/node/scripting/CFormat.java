package io.rookery.node.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** C's {@code printf("%.Ng")} for doubles (what cjson and struct print numbers with). */
final class CFormat {
    private CFormat() {
    }

    static String g(double d, int precision) {
        if (Double.isNaN(d)) {
            return d < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        int p = precision == 0 ? 1 : precision;
        BigDecimal v = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exponent = v.precision() - v.scale() - 1;
        if (exponent < -4 || exponent >= p) {
            BigDecimal mantissa = v.movePointLeft(exponent);
            String m = strip(mantissa.toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int ae = Math.abs(exponent);
            return m + "e" + sign + (ae < 10 ? "0" : "") + ae;
        }
        return strip(v.toPlainString());
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
