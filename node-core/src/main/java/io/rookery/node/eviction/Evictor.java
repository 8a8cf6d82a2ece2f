package io.rookery.node.eviction;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.config.NodeConfig.EvictionPolicy;
import io.rookery.node.keyspace.AccessMeta;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.latency.LatencyMonitor;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Frees memory when used memory passes {@code maxmemory}, by the configured policy, as Redis's
 * evict.c does: for the LRU, LFU and TTL policies, {@code maxmemory-samples} keys are sampled from
 * every database (all keys, or only keys with an expiry for volatile-*) into a pool of the 16 best
 * candidates kept across calls, and the best one is evicted; the random policies evict a random key,
 * taking databases in turn. Keys without an expiry are never evicted by volatile-* policies.
 */
public final class Evictor {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Evictor.class);
    private static final int POOL_SIZE = 16;

    private final Keyspace keyspace;
    private final NodeConfig config;
    private final LongSupplier usedMemory;
    private final MemoryLimit limit;
    private final BiConsumer<Database, byte[]> onEvicted;
    private final long[] poolIdle = new long[POOL_SIZE];
    private final int[] poolDb = new int[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private int poolCount;
    private int nextDb;
    private long evictedKeys;
    private LatencyMonitor latency;

    public Evictor(Keyspace keyspace, NodeConfig config, LongSupplier usedMemory, BiConsumer<Database, byte[]> onEvicted) {
        this(keyspace, config, MemoryLimit.ofThisJvm(config), usedMemory, onEvicted);
    }

    public Evictor(Keyspace keyspace, NodeConfig config, MemoryLimit limit, LongSupplier usedMemory,
                   BiConsumer<Database, byte[]> onEvicted) {
        this.keyspace = keyspace;
        this.config = config;
        this.limit = limit;
        this.usedMemory = usedMemory;
        this.onEvicted = onEvicted;
    }

    /** Logs the effective limit now and whenever maxmemory changes (a node that holds data does, at start-up). */
    public void logLimit() {
        LOG.info(limit.describe());
        config.onChange("maxmemory", c -> LOG.info(limit.describe()));
    }

    /** Where eviction cycles that evicted something report their duration ("eviction-cycle"). */
    public void reportLatencyTo(LatencyMonitor monitor) {
        this.latency = monitor;
    }

    /** The limit evictions and the OOM check hold used memory to. */
    public MemoryLimit limit() {
        return limit;
    }

    public long evictedKeys() {
        return evictedKeys;
    }

    public void resetStats() {
        evictedKeys = 0;
    }

    /** True when memory is within the limit (after evicting as needed); false when it cannot be. */
    public boolean performEvictions() {
        return evictDownTo(limit.effective());
    }

    /**
     * Makes room for {@code bytes} more (a big argument about to be read): true when used memory plus
     * {@code bytes} fits the limit, after evicting by the policy if needed.
     */
    public boolean makeRoom(long bytes) {
        long max = limit.effective();
        return max == Long.MAX_VALUE || bytes <= max && evictDownTo(max - bytes);
    }

    private boolean evictDownTo(long max) {
        if (max == Long.MAX_VALUE || usedMemory.getAsLong() <= max) {
            return true;
        }
        EvictionPolicy policy = config.maxmemoryPolicy;
        if (policy == EvictionPolicy.NOEVICTION) {
            return false;
        }
        long start = System.nanoTime();
        try {
            int guard = 0;
            while (usedMemory.getAsLong() > max) {
                boolean evicted = policy == EvictionPolicy.ALLKEYS_RANDOM || policy == EvictionPolicy.VOLATILE_RANDOM
                        ? evictRandom(policy == EvictionPolicy.VOLATILE_RANDOM)
                        : evictFromPool(policy);
                if (!evicted) {
                    return false;
                }
                if (++guard > 1_000_000) {
                    return false;
                }
            }
            return true;
        } finally {
            if (latency != null) {
                latency.sampleIfNeeded("eviction-cycle", (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    private boolean evictRandom(boolean volatileOnly) {
        int n = keyspace.count();
        for (int i = 0; i < n; i++) {
            Database db = keyspace.db(nextDb);
            nextDb = (nextDb + 1) % n;
            byte[] key = volatileOnly ? db.randomVolatileKey() : db.randomKey();
            if (key != null) {
                evict(db, key);
                return true;
            }
        }
        return false;
    }

    private boolean evictFromPool(EvictionPolicy policy) {
        boolean volatileOnly = policy == EvictionPolicy.VOLATILE_LRU || policy == EvictionPolicy.VOLATILE_LFU
                || policy == EvictionPolicy.VOLATILE_TTL;
        long now = keyspace.now();
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean sampledAny = false;
            for (int d = 0; d < keyspace.count(); d++) {
                Database db = keyspace.db(d);
                if (volatileOnly ? db.expiresSize() == 0 : db.size() == 0) {
                    continue;
                }
                sampledAny = true;
                for (int s = 0; s < config.maxmemorySamples; s++) {
                    byte[] key = volatileOnly ? db.randomVolatileKey() : db.randomKey();
                    if (key == null) {
                        break;
                    }
                    Dict.Entry e = db.entry(key);
                    if (e == null) {
                        continue;
                    }
                    offer(idle(policy, db, e, now), d, e.key());
                }
            }
            if (!sampledAny) {
                return false;
            }
            // take the best candidate that still exists
            for (int i = poolCount - 1; i >= 0; i--) {
                byte[] key = poolKey[i];
                Database db = keyspace.db(poolDb[i]);
                removeAt(i);
                if (db.entry(key) != null && (!volatileOnly || db.expireAt(key) >= 0)) {
                    evict(db, key);
                    return true;
                }
            }
        }
        return false;
    }

    /** Higher is a better victim: idle time (LRU), 255 - frequency (LFU), or how soon it expires (TTL). */
    private long idle(EvictionPolicy policy, Database db, Dict.Entry e, long now) {
        return switch (policy) {
            case ALLKEYS_LFU, VOLATILE_LFU -> 255 - AccessMeta.lfuDecayed(e.meta(), now, config.lfuDecayTime);
            case VOLATILE_TTL -> Long.MAX_VALUE - db.expireAt(e.key());
            default -> AccessMeta.idleMillis(e.meta(), now);
        };
    }

    /** Inserts into the pool, kept sorted by idle ascending; the least idle falls out when full. */
    private void offer(long idle, int db, byte[] key) {
        for (int i = 0; i < poolCount; i++) {
            if (poolDb[i] == db && java.util.Arrays.equals(poolKey[i], key)) {
                return;
            }
        }
        int pos = 0;
        while (pos < poolCount && poolIdle[pos] < idle) {
            pos++;
        }
        if (poolCount == POOL_SIZE) {
            if (pos == 0) {
                return; // worse than every candidate held
            }
            System.arraycopy(poolIdle, 1, poolIdle, 0, pos - 1);
            System.arraycopy(poolDb, 1, poolDb, 0, pos - 1);
            System.arraycopy(poolKey, 1, poolKey, 0, pos - 1);
            pos--;
        } else {
            System.arraycopy(poolIdle, pos, poolIdle, pos + 1, poolCount - pos);
            System.arraycopy(poolDb, pos, poolDb, pos + 1, poolCount - pos);
            System.arraycopy(poolKey, pos, poolKey, pos + 1, poolCount - pos);
            poolCount++;
        }
        poolIdle[pos] = idle;
        poolDb[pos] = db;
        poolKey[pos] = key;
    }

    private void removeAt(int i) {
        System.arraycopy(poolIdle, i + 1, poolIdle, i, poolCount - i - 1);
        System.arraycopy(poolDb, i + 1, poolDb, i, poolCount - i - 1);
        System.arraycopy(poolKey, i + 1, poolKey, i, poolCount - i - 1);
        poolCount--;
        poolKey[poolCount] = null;
    }

    private void evict(Database db, byte[] key) {
        db.delete(key);
        evictedKeys++;
        onEvicted.accept(db, key);
    }
}
