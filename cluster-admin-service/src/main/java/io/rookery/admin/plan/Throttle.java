package io.rookery.admin.plan;

/**
 * The migration rate a job is held to: at most {@code keysPerSecond} keys and {@code bytesPerSecond} bytes per
 * second (0 = no limit on that figure).
 */
public record Throttle(long keysPerSecond, long bytesPerSecond) {
    public Throttle {
        if (keysPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("throttle must not be negative");
        }
    }

    public static Throttle unlimited() {
        return new Throttle(0, 0);
    }
}
