package io.rookery.node.latency;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One command's latency distribution, as Redis 7.0 keeps it for LATENCY HISTOGRAM and INFO
 * latencystats: an HDR histogram of nanoseconds from 1 ns to 1 s with 2 significant digits (longer
 * calls count as 1 s).
 *
 * <p>LATENCY HISTOGRAM reports it cumulatively at power-of-two steps starting at 1024 ns, each step
 * named by the highest value equivalent to it in microseconds (1, 2, 4, 8, 16, 32, 65, 131, ...), and
 * only the steps where the cumulative count grows. INFO's percentiles are the highest equivalent value
 * of the recorded value at that rank, in microseconds.
 */
public final class CommandLatencyHistogram {
    private static final long LOWEST = 1;
    private static final long HIGHEST = 1_000_000_000L;
    private static final long FIRST_STEP = 1024;

    /** A cumulative count up to a step of the distribution. */
    public record Bucket(long micros, long cumulativeCount) {
    }

    private final Histogram histogram = new Histogram(LOWEST, HIGHEST, 2);

    public void record(long nanos) {
        histogram.recordValue(Math.max(LOWEST, Math.min(HIGHEST, nanos)));
    }

    public long calls() {
        return histogram.getTotalCount();
    }

    /** The cumulative steps where the count grows, as LATENCY HISTOGRAM's {@code histogram_usec} map. */
    public List<Bucket> cumulativeBuckets() {
        List<Bucket> out = new ArrayList<>();
        long max = histogram.getMaxValue();
        long previous = 0;
        for (long step = FIRST_STEP; ; step *= 2) {
            long cumulative = histogram.getCountBetweenValues(0, step);
            if (cumulative > previous) {
                out.add(new Bucket(histogram.highestEquivalentValue(step) / 1000, cumulative));
            }
            previous = cumulative;
            if (step >= max || cumulative >= histogram.getTotalCount()) {
                return out;
            }
        }
    }

    /** The value at {@code percentile} (0..100) in microseconds, as INFO latencystats prints it. */
    public double percentileMicros(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
