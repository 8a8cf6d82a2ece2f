package io.rookery.admin.plan;

/**
 * The options of a load rebalance.
 *
 * @param metric             the per-slot figure to balance (must be measured in the snapshot)
 * @param maxSlotsMoved      a cap on the number of slots moved (each slot moves at most once); at least 1
 * @param tolerance          stop once the most loaded primary is within this fraction of the mean (0.05 = 5%)
 * @param useEmptyPrimaries  whether primaries owning no slot take part (they are where load goes first)
 */
public record LoadRebalanceOptions(LoadMetric metric, int maxSlotsMoved, double tolerance,
        boolean useEmptyPrimaries) {
    public LoadRebalanceOptions {
        if (metric == null) {
            throw new IllegalArgumentException("a metric is required");
        }
        if (maxSlotsMoved < 1) {
            throw new IllegalArgumentException("maxSlotsMoved must be at least 1");
        }
        if (tolerance < 0 || Double.isNaN(tolerance)) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
    }

    /** Balance {@code metric} within 5%, moving at most 1024 slots, empty primaries included. */
    public static LoadRebalanceOptions of(LoadMetric metric) {
        return new LoadRebalanceOptions(metric, 1024, 0.05, true);
    }

    public LoadRebalanceOptions withMaxSlotsMoved(int max) {
        return new LoadRebalanceOptions(metric, max, tolerance, useEmptyPrimaries);
    }

    public LoadRebalanceOptions withTolerance(double fraction) {
        return new LoadRebalanceOptions(metric, maxSlotsMoved, fraction, useEmptyPrimaries);
    }

    public LoadRebalanceOptions withUseEmptyPrimaries(boolean use) {
        return new LoadRebalanceOptions(metric, maxSlotsMoved, tolerance, use);
    }
}
