package io.rookery.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HyperLogLogs against a real redis-server 7.0: the same PFADDs give the same bytes (sparse and dense),
 * and a HLL made by one server, moved by GET/SET or DUMP/RESTORE, counts the same on the other.
 */
@Tag("interop")
class HyperLogLogInteropIT {
    private static RealRedis redis;
    private static TestNode rookery;
    private static RedisClient client;
    private static StatefulRedisConnection<byte[], byte[]> theirs;
    private static StatefulRedisConnection<byte[], byte[]> ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        rookery = TestNode.start();
        client = RedisClient.create();
        theirs = client.connect(ByteArrayCodec.INSTANCE, RedisURI.create("127.0.0.1", redis.port()));
        ours = client.connect(ByteArrayCodec.INSTANCE, RedisURI.create("127.0.0.1", rookery.port()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (rookery != null) {
            rookery.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Random elements, some binary, in batches as an application would send them. */
    private static byte[][][] batches(int elements, long seed) {
        Random rnd = new Random(seed);
        int batchSize = 97;
        byte[][][] out = new byte[(elements + batchSize - 1) / batchSize][][];
        for (int i = 0; i < out.length; i++) {
            int n = Math.min(batchSize, elements - i * batchSize);
            out[i] = new byte[n][];
            for (int j = 0; j < n; j++) {
                byte[] e = new byte[rnd.nextInt(24)];
                rnd.nextBytes(e);
                out[i][j] = rnd.nextBoolean() ? e : b("user:" + rnd.nextInt(1_000_000));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} elements: the same PFADDs give the same bytes and counts as Redis")
    @ValueSource(ints = {1, 20, 300, 1500, 5000, 40000})
    void sameBytesAsRedis(int elements) {
        RedisCommands<byte[], byte[]> t = theirs.sync();
        RedisCommands<byte[], byte[]> o = ours.sync();
        byte[] key = b("hll:" + elements);
        t.del(key);
        o.del(key);
        for (byte[][] batch : batches(elements, elements)) {
            assertThat(o.pfadd(key, batch)).isEqualTo(t.pfadd(key, batch));
        }
        assertThat(o.get(key)).isEqualTo(t.get(key));
        assertThat(o.pfcount(key)).isEqualTo(t.pfcount(key));
        assertThat(o.get(key)).as("the cached cardinality is written the same way").isEqualTo(t.get(key));
        byte[] merged = b("merged:" + elements);
        t.pfmerge(merged, key, b("hll:1"));
        o.pfmerge(merged, key, b("hll:1"));
        assertThat(o.get(merged)).isEqualTo(t.get(merged));
    }

    @ParameterizedTest(name = "{0} elements: a HLL made by Redis counts the same here, and ours there")
    @ValueSource(ints = {50, 3000, 60000})
    void valuesCrossBothWays(int elements) {
        RedisCommands<byte[], byte[]> t = theirs.sync();
        RedisCommands<byte[], byte[]> o = ours.sync();
        byte[] key = b("cross:" + elements);
        t.del(key);
        o.del(key);
        for (byte[][] batch : batches(elements, 31L * elements)) {
            t.pfadd(key, batch);
        }
        long expected = t.pfcount(key);
        o.restore(key, 0, t.dump(key));
        assertThat(o.pfcount(key)).isEqualTo(expected);
        byte[] copy = b("copy:" + elements);
        o.set(copy, t.get(key));
        assertThat(o.pfcount(copy)).isEqualTo(expected);
        o.pfadd(copy, b("one more"), b("and another"));
        byte[] back = b("back:" + elements);
        t.del(back);
        t.restore(back, 0, o.dump(copy));
        assertThat(t.pfcount(back)).isEqualTo(o.pfcount(copy));
    }
}
