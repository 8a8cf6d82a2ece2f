package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.SharedNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's locks and maps are Lua scripts sent with EVALSHA (falling back to EVAL on NOSCRIPT):
 * before scripting existed they hung forever resending EVALSHA. Its rate limiter keeps its state in
 * a hash and a sorted set that scripts update atomically.
 */
class RedissonScriptsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RedissonClient redisson;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + node.port()).setTimeout(5000).setRetryAttempts(1)
                .setConnectionMinimumIdleSize(1).setConnectionPoolSize(2);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void close() {
        redisson.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Test
    void rlockLocksAndUnlocks() {
        RLock lock = redisson.getLock("lock:a");
        lock.lock();
        assertThat(lock.isLocked()).isTrue();
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void tryLockWithALeaseSetsTheExpiryAndIsExclusive() throws Exception {
        RLock lock = redisson.getLock("lock:b");
        assertThat(lock.tryLock(1, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.remainTimeToLive()).isBetween(1L, 30_000L);
        Thread other = new Thread(() -> {
            try {
                assertThat(lock.tryLock(0, 30, TimeUnit.SECONDS)).isFalse();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        other.join();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void rmapPutReturnsThePreviousValue() {
        RMap<String, String> map = redisson.getMap("map:a");
        map.clear();
        assertThat(map.put("f", "v1")).isNull();
        assertThat(map.put("f", "v2")).isEqualTo("v1");
        assertThat(map.get("f")).isEqualTo("v2");
        assertThat(map.putIfAbsent("f", "v3")).isEqualTo("v2");
    }

    @Test
    void rateLimiterHandsOutPermitsUpToItsRateAndThenRefuses() {
        RRateLimiter limiter = redisson.getRateLimiter("limiter:a");
        assertThat(limiter.trySetRate(RateType.OVERALL, 3, Duration.ofHours(1))).isTrue();
        assertThat(limiter.trySetRate(RateType.OVERALL, 10, Duration.ofHours(1))).as("the rate is set once").isFalse();
        assertThat(limiter.getConfig().getRate()).isEqualTo(3);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire(2)).isTrue();
        assertThat(limiter.tryAcquire()).as("the fourth permit within the hour").isFalse();
        assertThat(limiter.availablePermits()).isZero();
    }
}
