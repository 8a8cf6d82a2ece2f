package io.rookery.admin.plan;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How unbalanced a set of primaries is: the largest figure over the mean (1.0 = perfectly even; 0 when there is
 * nothing at all). The figure the metrics and the load planner's objective use.
 */
public final class Imbalance {
    private Imbalance() {
    }

    /** max / mean of {@code figure} over {@code primaries}; 0 when empty or all 0. */
    public static double maxOverMean(List<PrimaryFigures> primaries, ToLongFunction<PrimaryFigures> figure) {
        if (primaries.isEmpty()) {
            return 0;
        }
        long max = 0;
        long total = 0;
        for (PrimaryFigures primary : primaries) {
            long value = figure.applyAsLong(primary);
            max = Math.max(max, value);
            total += value;
        }
        return total == 0 ? 0 : max / ((double) total / primaries.size());
    }

    /** max / mean of slot counts. */
    public static double ofSlots(List<PrimaryFigures> primaries) {
        return maxOverMean(primaries, PrimaryFigures::slots);
    }

    /** max / mean of the plan metric's load. */
    public static double ofLoad(List<PrimaryFigures> primaries) {
        return maxOverMean(primaries, PrimaryFigures::load);
    }
}
