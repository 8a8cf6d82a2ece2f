package io.rookery.node.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The two ways Redis prints geo numbers: distances with four decimals, coordinates as "human" long doubles. */
public final class GeoFormat {
    private GeoFormat() {
    }

    /**
     * A distance as Redis's {@code fixedpoint_d2string(d, 4)}: {@code llrint(d * 10000)} printed with
     * exactly four decimals ("0.0000", "111.2263").
     */
    public static String distance(double d) {
        if (d == 0) {
            return "0.0000";
        }
        long scaled = (long) Math.rint(d * 10000.0);
        return BigDecimal.valueOf(scaled, 4).toPlainString();
    }

    /**
     * A coordinate as Redis's {@code addReplyHumanLongDouble}: the exact binary value printed with
     * {@code %.17Lf}, trailing zeros and a bare point removed ("0.99999994039535522", "13").
     */
    public static String coordinate(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
