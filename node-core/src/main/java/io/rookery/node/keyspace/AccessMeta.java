package io.rookery.node.keyspace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The 24-bit access word kept with every key, as Redis keeps it in {@code robj.lru}: under LRU
 * policies the LRU clock in seconds; under LFU policies 16 bits of minutes since the epoch (last
 * decrement time) and an 8-bit logarithmic access counter.
 */
public final class AccessMeta {
    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    public static final int LFU_INIT_VAL = 5;
    /** Above the 24 access bits: the string was modified in place ("raw" encoding). */
    public static final int RAW_STRING = 1 << 24;
    public static final int ACCESS_MASK = (1 << 24) - 1;
    /** Snapshot parity: an entry whose bit equals the keyspace's current parity is already captured (or newer). */
    public static final int SNAPSHOT_MARK = 1 << 25;

    private AccessMeta() {
    }

    public static int lruClock(long nowMillis) {
        return (int) ((nowMillis / 1000) & LRU_CLOCK_MAX);
    }

    /** Milliseconds since the key was last touched, from its LRU clock. */
    public static long idleMillis(int meta, long nowMillis) {
        meta &= ACCESS_MASK;
        int clock = lruClock(nowMillis);
        long seconds = clock >= meta ? clock - meta : clock + (LRU_CLOCK_MAX - meta);
        return seconds * 1000;
    }

    public static int lfuMinutes(long nowMillis) {
        return (int) ((nowMillis / 60000) & 0xffff);
    }

    public static int lfuNew(long nowMillis) {
        return (lfuMinutes(nowMillis) << 8) | LFU_INIT_VAL;
    }

    public static int lfuCounter(int meta) {
        return meta & 0xff;
    }

    /** The counter after decay: one step down per {@code decayMinutes} elapsed (LFUDecrAndReturn). */
    public static int lfuDecayed(int meta, long nowMillis, int decayMinutes) {
        int last = (meta & ACCESS_MASK) >>> 8;
        int counter = meta & 0xff;
        int now = lfuMinutes(nowMillis);
        int elapsed = now >= last ? now - last : 65535 - last + now;
        int periods = decayMinutes > 0 ? elapsed / decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    /** The word after one access: decay, then a probabilistic logarithmic increment (LFULogIncr). */
    public static int lfuTouch(int meta, long nowMillis, int decayMinutes, int logFactor) {
        int counter = lfuDecayed(meta, nowMillis, decayMinutes);
        if (counter < 255) {
            double r = ThreadLocalRandom.current().nextDouble();
            double base = counter - LFU_INIT_VAL;
            if (base < 0) {
                base = 0;
            }
            double p = 1.0 / (base * logFactor + 1);
            if (r < p) {
                counter++;
            }
        }
        return (lfuMinutes(nowMillis) << 8) | counter;
    }
}
