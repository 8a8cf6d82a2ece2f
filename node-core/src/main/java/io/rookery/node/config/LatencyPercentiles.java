package io.rookery.node.config;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code latency-tracking-info-percentiles}: the percentiles INFO latencystats prints, a space
 * separated list of numbers in [0, 100] (possibly empty), written back without trailing zeros.
 */
public final class LatencyPercentiles {
    private LatencyPercentiles() {
    }

    static double[] parse(String v) throws ConfigException {
        String trimmed = v.trim();
        if (trimmed.isEmpty()) {
            return new double[0];
        }
        String[] parts = trimmed.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (Double.isNaN(out[i]) || out[i] < 0 || out[i] > 100) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
        }
        return out;
    }

    /** One percentile as CONFIG GET and INFO print it: 50, 99, 99.9. */
    public static String format(double p) {
        return BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    static String format(double[] ps) {
        return Arrays.stream(ps).mapToObj(LatencyPercentiles::format).collect(Collectors.joining(" "));
    }
}
