package io.rookery.node.latency;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Redis's latency monitor: named events ("command", "fast-command", "expire-cycle", "eviction-cycle",
 * "aof-fsync-always", ...) each with a {@link LatencySeries}. An event is sampled only when
 * {@code latency-monitor-threshold} is above zero and the latency reaches it, so with the default of 0
 * nothing is recorded. Used on the command thread only.
 */
public final class LatencyMonitor {
    private final LongSupplier thresholdMillis;
    private final Map<String, LatencySeries> events = new LinkedHashMap<>();

    /** @param thresholdMillis the live {@code latency-monitor-threshold} */
    public LatencyMonitor(LongSupplier thresholdMillis) {
        this.thresholdMillis = thresholdMillis;
    }

    /** Records {@code millis} for {@code event} when monitoring is on and it reaches the threshold. */
    public void sampleIfNeeded(String event, long millis) {
        long threshold = thresholdMillis.getAsLong();
        if (threshold > 0 && millis >= threshold) {
            add(event, millis, System.currentTimeMillis() / 1000);
        }
    }

    /** Records a sample unconditionally (the threshold check is the caller's). */
    void add(String event, long millis, long nowSeconds) {
        events.computeIfAbsent(event, e -> new LatencySeries()).add(nowSeconds, millis);
    }

    /** The events with samples, in the order they first happened. */
    public Map<String, LatencySeries> events() {
        return Collections.unmodifiableMap(events);
    }

    public LatencySeries event(String name) {
        return events.get(name);
    }

    /** Forgets every event; returns how many there were. */
    public int resetAll() {
        int n = events.size();
        events.clear();
        return n;
    }

    /** Forgets one event; returns 1 when it had samples, else 0. */
    public int reset(String event) {
        return events.remove(event) == null ? 0 : 1;
    }

    /** The live threshold in milliseconds (0: monitoring off). */
    public long thresholdMillis() {
        return thresholdMillis.getAsLong();
    }
}
