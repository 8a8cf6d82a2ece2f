package io.rookery.node.keyspace;

import io.rookery.node.config.NodeConfig;

/**
 * Redis's active expire cycle (expire.c, "slow" cycle): on every cron tick, for each database with
 * volatile keys, sample {@code 20 + 5*(effort-1)} keys with an expiry, delete those past their time,
 * and repeat while more than {@code 10 - effort + 1}% of the sample was stale, within a time budget of
 * {@code 25% + 2%*(effort-1)} of the tick. So keys that nobody touches still disappear, and memory held
 * by expired keys stays a small fraction.
 */
public final class ActiveExpireCycle {
    private final Keyspace keyspace;
    private final NodeConfig config;
    private int nextDb;
    private long stalePercentTimes100; // running estimate, like stat_expired_stale_perc
    private long timedOut;
    private boolean enabled = true;

    public ActiveExpireCycle(Keyspace keyspace, NodeConfig config) {
        this.keyspace = keyspace;
        this.config = config;
    }

    /** DEBUG SET-ACTIVE-EXPIRE: off, keys past their time go only when accessed (lazy expiry). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /** Runs one cycle; returns the number of keys deleted. */
    public long run(long nowMillis) {
        if (!enabled) {
            return 0;
        }
        if (!keyspace.expireKeys()) {
            return 0; // a replica waits for its primary's DELs
        }
        int effort = config.activeExpireEffort - 1;
        int perLoop = 20 + 20 / 4 * effort;
        int acceptableStale = 10 - effort;
        long budgetMicros = 1_000_000L * (25 + 2 * effort) / config.hz / 100;
        long start = System.nanoTime();
        long deleted = 0;
        long sampledTotal = 0;
        long expiredTotal = 0;
        int dbs = keyspace.count();
        for (int n = 0; n < dbs; n++) {
            Database db = keyspace.db(nextDb);
            nextDb = (nextDb + 1) % dbs;
            while (true) {
                Dict expires = db.expiresTable();
                int volatileKeys = expires.size();
                if (volatileKeys == 0) {
                    break;
                }
                int sample = Math.min(perLoop, volatileKeys);
                int expired = 0;
                for (int i = 0; i < sample; i++) {
                    Dict.Entry x = expires.randomEntry();
                    if (x == null) {
                        break;
                    }
                    if (db.activeExpire(x, nowMillis)) {
                        expired++;
                    }
                }
                deleted += expired;
                sampledTotal += sample;
                expiredTotal += expired;
                if ((System.nanoTime() - start) / 1000 > budgetMicros) {
                    timedOut++;
                    updateStale(sampledTotal, expiredTotal);
                    return deleted;
                }
                if (expired * 100 <= (long) sample * acceptableStale) {
                    break;
                }
            }
        }
        updateStale(sampledTotal, expiredTotal);
        return deleted;
    }

    private void updateStale(long sampled, long expired) {
        long current = sampled == 0 ? 0 : expired * 10000 / sampled;
        stalePercentTimes100 = (current * 5 + stalePercentTimes100 * 95) / 100;
    }

    /** expired_stale_perc for INFO stats. */
    public double stalePercent() {
        return stalePercentTimes100 / 100.0;
    }

    public long timeCapReached() {
        return timedOut;
    }
}
