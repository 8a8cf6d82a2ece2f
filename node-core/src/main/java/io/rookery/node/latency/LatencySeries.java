package io.rookery.node.latency;

import java.util.ArrayList;
import java.util.List;

/**
 * One latency event's samples, as Redis's latency monitor keeps them: a ring of the last 160 samples,
 * at most one per second (a second spike in the same second raises that second's sample when higher),
 * and the all-time maximum, which only LATENCY RESET clears.
 */
public final class LatencySeries {
    /** Samples kept per event (Redis's LATENCY_TS_LEN). */
    public static final int CAPACITY = 160;

    /** One second's worst latency. */
    public record Sample(long timeSeconds, long millis) {
    }

    private final long[] times = new long[CAPACITY];
    private final long[] latencies = new long[CAPACITY];
    private int next;
    private long max;

    /** Adds {@code millis} at {@code nowSeconds} (merged into the last sample when in the same second). */
    void add(long nowSeconds, long millis) {
        max = Math.max(max, millis);
        int last = (next + CAPACITY - 1) % CAPACITY;
        if (times[last] == nowSeconds) {
            latencies[last] = Math.max(latencies[last], millis);
            return;
        }
        times[next] = nowSeconds;
        latencies[next] = millis;
        next = (next + 1) % CAPACITY;
    }

    /** The samples, oldest first. */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (int j = 0; j < CAPACITY; j++) {
            int i = (next + j) % CAPACITY;
            if (times[i] != 0) {
                out.add(new Sample(times[i], latencies[i]));
            }
        }
        return out;
    }

    /** The newest sample (there is at least one once the series exists). */
    public Sample latest() {
        int last = (next + CAPACITY - 1) % CAPACITY;
        return new Sample(times[last], latencies[last]);
    }

    /** The highest latency ever added. */
    public long max() {
        return max;
    }
}
