package io.rookery.admin.job;

/**
 * Holds a job to its keys/s and bytes/s limits: each batch asks for its keys and bytes and is made to
 * wait until the running totals are back under the rates. Shared by the job's concurrent slot moves.
 */
final class MigrationThrottle {
    private final long keysPerSecond;
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long keys;
    private long bytes;

    MigrationThrottle(long keysPerSecond, long bytesPerSecond) {
        this.keysPerSecond = keysPerSecond;
        this.bytesPerSecond = bytesPerSecond;
    }

    boolean limited() {
        return keysPerSecond > 0 || bytesPerSecond > 0;
    }

    boolean limitsBytes() {
        return bytesPerSecond > 0;
    }

    /** Waits until moving {@code k} more keys of {@code b} bytes stays within the rates. */
    void acquire(long k, long b) throws InterruptedException {
        if (!limited()) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            keys += k;
            bytes += b;
            double due = Math.max(keysPerSecond > 0 ? (double) keys / keysPerSecond : 0,
                    bytesPerSecond > 0 ? (double) bytes / bytesPerSecond : 0);
            waitNanos = (long) (due * 1e9) - (System.nanoTime() - start);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
