package io.rookery.admin.job;

/**
 * How a job moves slots.
 *
 * @param keysPerSecond  at most this many keys per second over the job (0 = no limit)
 * @param bytesPerSecond at most this many bytes per second (0 = no limit)
 * @param concurrency    slots migrating at once (at most one per source and one per target)
 * @param batchKeys      keys per GETKEYSINSLOT/MIGRATE round (redis-cli's --cluster-pipeline), default
 *                       {@value #DEFAULT_BATCH_KEYS}: a slot of a million-key cluster (about 60 keys) then
 *                       moves in one MIGRATE, where redis-cli's default of 10 takes seven; a smaller batch
 *                       blocks the source for less time per MIGRATE when values are large
 * @param migrateTimeoutMillis MIGRATE's timeout (redis-cli's --cluster-timeout, default 60000)
 * @param replace        on BUSYKEY with a different value, overwrite the target's key (--cluster-replace)
 */
public record JobParams(long keysPerSecond, long bytesPerSecond, int concurrency, int batchKeys,
                        int migrateTimeoutMillis, boolean replace) {
    public static final int DEFAULT_BATCH_KEYS = 100;
    public static final JobParams DEFAULTS = new JobParams(0, 0, 1, DEFAULT_BATCH_KEYS, 60_000, false);

    public JobParams {
        if (keysPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("a throttle must not be negative");
        }
        concurrency = Math.max(1, concurrency);
        batchKeys = batchKeys <= 0 ? DEFAULT_BATCH_KEYS : batchKeys;
        migrateTimeoutMillis = migrateTimeoutMillis <= 0 ? 60_000 : migrateTimeoutMillis;
    }
}
