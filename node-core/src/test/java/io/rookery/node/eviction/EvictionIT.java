package io.rookery.node.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Filling past maxmemory under each policy, and checking what survives. */
class EvictionIT {
    private static final String VALUE = "x".repeat(200);

    private static long info(RawConnection c, String field) throws Exception {
        String info = ((RespValue.BulkString) c.call("INFO")).text();
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new IllegalStateException("no " + field);
    }

    /** Sets maxmemory to the current usage plus {@code headroom} bytes and the given policy. */
    private static long limit(RawConnection c, String policy, long headroom) throws Exception {
        long max = info(c, "used_memory") + headroom;
        c.call("CONFIG", "SET", "maxmemory-policy", policy, "maxmemory", Long.toString(max));
        return max;
    }

    private static boolean exists(RawConnection c, String key) throws Exception {
        return c.call("EXISTS", key).equals(new RespValue.Integer(1));
    }

    @Test
    void noevictionRefusesWritesButServesReadsAndDeletes() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "keep", "v");
            limit(c, "noeviction", 100_000);
            RespValue last = null;
            for (int i = 0; i < 2000 && !(last instanceof RespValue.Error); i++) {
                last = c.call("SET", "k:" + i, VALUE);
            }
            assertThat(last).isEqualTo(new RespValue.Error("OOM command not allowed when used memory > 'maxmemory'."));
            assertThat(c.call("GET", "keep")).isEqualTo(new RespValue.BulkString("v".getBytes()));
            assertThat(c.call("LPUSH", "l", "x")).isInstanceOf(RespValue.Error.class);
            c.call("MULTI");
            assertThat(c.call("GET", "keep")).isInstanceOf(RespValue.Error.class); // queueing is refused when OOM
            assertThat(c.call("EXEC")).isInstanceOf(RespValue.Error.class);
            assertThat(c.call("DEL", "k:0")).isEqualTo(new RespValue.Integer(1));
            assertThat(info(c, "evicted_keys")).isZero();
        }
    }

    @Test
    void allkeysRandomKeepsMemoryUnderTheLimit() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            long max = limit(c, "allkeys-random", 200_000);
            for (int i = 0; i < 5000; i++) {
                assertThat(c.call("SET", "k:" + i, VALUE)).isEqualTo(new RespValue.SimpleString("OK"));
            }
            assertThat(info(c, "used_memory")).isLessThanOrEqualTo(max + 1000);
            assertThat(info(c, "evicted_keys")).isGreaterThan(3000);
            assertThat(((RespValue.Integer) c.call("DBSIZE")).value()).isBetween(100L, 2000L);
        }
    }

    @Test
    void allkeysLruKeepsAHotWorkingSet() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 200; i++) {
                c.call("SET", "hot:" + i, VALUE);
            }
            for (int i = 0; i < 1500; i++) {
                c.call("SET", "cold:" + i, VALUE);
            }
            Thread.sleep(2200); // the LRU clock ticks in seconds, as Redis's does
            limit(c, "allkeys-lru", 0);
            for (int i = 0; i < 1000; i++) {
                if (i % 5 == 0) {
                    for (int h = 0; h < 200; h++) {
                        c.call("GET", "hot:" + h);
                    }
                }
                c.call("SET", "new:" + i, VALUE);
            }
            int hot = 0;
            for (int i = 0; i < 200; i++) {
                hot += exists(c, "hot:" + i) ? 1 : 0;
            }
            assertThat(hot).as("hot keys that survived").isGreaterThanOrEqualTo(195);
            assertThat(info(c, "evicted_keys")).isGreaterThanOrEqualTo(900);
        }
    }

    @Test
    void allkeysLfuKeepsFrequentlyUsedKeys() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            for (int i = 0; i < 100; i++) {
                c.call("SET", "freq:" + i, VALUE);
                for (int k = 0; k < 30; k++) {
                    c.call("GET", "freq:" + i);
                }
            }
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "once:" + i, VALUE);
            }
            limit(c, "allkeys-lfu", 0);
            for (int i = 0; i < 800; i++) {
                c.call("SET", "more:" + i, VALUE);
            }
            int kept = 0;
            for (int i = 0; i < 100; i++) {
                kept += exists(c, "freq:" + i) ? 1 : 0;
            }
            assertThat(kept).isGreaterThanOrEqualTo(95);
            assertThat(((RespValue.Integer) c.call("OBJECT", "FREQ", "freq:0")).value()).isGreaterThan(5);
        }
    }

    @Test
    void volatilePoliciesNeverEvictKeysWithoutTtl() throws Exception {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
                for (int i = 0; i < 300; i++) {
                    c.call("SET", "persistent:" + i, VALUE);
                    c.call("SET", "volatile:" + i, VALUE, "EX", Integer.toString(1000 + i));
                }
                limit(c, policy, 0);
                RespValue last = null;
                for (int i = 0; i < 1000 && !(last instanceof RespValue.Error); i++) {
                    last = c.call("SET", "extra:" + i, VALUE);
                }
                assertThat(last).as(policy + " runs out of volatile keys, then refuses writes")
                        .isEqualTo(new RespValue.Error("OOM command not allowed when used memory > 'maxmemory'."));
                for (int i = 0; i < 300; i++) {
                    assertThat(exists(c, "persistent:" + i)).as(policy + " kept persistent:" + i).isTrue();
                }
                assertThat(info(c, "evicted_keys")).isGreaterThan(250);
            }
        }
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpireFirst() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 1000; i++) {
                c.call("SET", "t:" + i, VALUE, "EX", Integer.toString(10_000 + i * 10));
            }
            limit(c, "volatile-ttl", 0);
            for (int i = 0; i < 300; i++) {
                c.call("SET", "p:" + i, VALUE);
            }
            int lateKept = 0;
            int earlyKept = 0;
            for (int i = 0; i < 200; i++) {
                earlyKept += exists(c, "t:" + i) ? 1 : 0;
                lateKept += exists(c, "t:" + (999 - i)) ? 1 : 0;
            }
            assertThat(lateKept).isGreaterThanOrEqualTo(195);
            assertThat(earlyKept).isLessThan(lateKept);
        }
    }
}
