package io.rookery.admin.plan;

import java.util.Map;

/**
 * The options of {@code redis-cli --cluster rebalance}.
 *
 * @param weights          node id (or a unique-enough prefix of it, as redis-cli accepts) → weight; a primary not
 *                         named weighs 1 ({@code --cluster-weight id=w})
 * @param threshold        percent: rebalance only when some primary's slot count differs from its expected share
 *                         by more than this ({@code --cluster-threshold}, 2 by default)
 * @param useEmptyPrimaries whether primaries owning no slot take part ({@code --cluster-use-empty-masters});
 *                         without it they keep owning nothing
 */
public record RebalanceOptions(Map<String, Double> weights, double threshold, boolean useEmptyPrimaries) {
    /** redis-cli's default threshold, in percent. */
    public static final double DEFAULT_THRESHOLD = 2;

    public RebalanceOptions {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold must not be negative");
        }
    }

    /** redis-cli's defaults: weight 1 each, threshold 2%, empty primaries left out. */
    public static RebalanceOptions defaults() {
        return new RebalanceOptions(Map.of(), DEFAULT_THRESHOLD, false);
    }

    public RebalanceOptions withUseEmptyPrimaries(boolean use) {
        return new RebalanceOptions(weights, threshold, use);
    }

    public RebalanceOptions withThreshold(double percent) {
        return new RebalanceOptions(weights, percent, useEmptyPrimaries);
    }

    public RebalanceOptions withWeights(Map<String, Double> newWeights) {
        return new RebalanceOptions(newWeights, threshold, useEmptyPrimaries);
    }
}
