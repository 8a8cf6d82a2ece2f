package io.rookery.node;

/** Node-wide counters for INFO stats that no single subsystem owns. Command-thread writes. */
public final class NodeStats {
    public volatile long netInputBytes;
    public volatile long netOutputBytes;
    long expireCycleNanos;
    private long lastSampleMillis;
    private long lastSampleCommands;
    private volatile long opsPerSecond;

    void sample(long commands, long now) {
        if (lastSampleMillis == 0) {
            lastSampleMillis = now;
            lastSampleCommands = commands;
            return;
        }
        long dt = now - lastSampleMillis;
        if (dt >= 1000) {
            opsPerSecond = (commands - lastSampleCommands) * 1000 / dt;
            lastSampleMillis = now;
            lastSampleCommands = commands;
        }
    }

    public long opsPerSecond() {
        return opsPerSecond;
    }

    public long expireCycleMillis() {
        return expireCycleNanos / 1_000_000;
    }
}
