package io.rookery.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Data and algorithms shared with real Redis: DUMP payloads both ways, CRC16 key slots. */
@Tag("interop")
class InteropIT {

    private static final String[] VALUES = {"", "42", "-7", "300", "70000", "-2147483648", "9223372036854775807",
            "hello", "a".repeat(100), "abc".repeat(5000), "0123456789012345678901234567890"};

    @Test
    void payloadsDumpedByRedisRestoreHereAndTheOtherWay() throws Exception {
        byte[] random = new byte[4096];
        new Random(5).nextBytes(random);
        try (RealRedis redis = RealRedis.start(); TestNode rookery = TestNode.start();
             RawConnection theirs = new RawConnection(redis.port()); RawConnection ours = new RawConnection(rookery.port())) {
            int i = 0;
            for (byte[] value : values(random)) {
                String key = "k" + i++;
                for (RawConnection[] pair : new RawConnection[][]{{theirs, ours}, {ours, theirs}}) {
                    RawConnection from = pair[0];
                    RawConnection to = pair[1];
                    from.send(List.of("SET".getBytes(), key.getBytes(), value));
                    from.readReply();
                    byte[] payload = ((RespValue.BulkString) from.call("DUMP", key)).value();
                    to.send(List.of("RESTORE".getBytes(), key.getBytes(), "0".getBytes(), payload, "REPLACE".getBytes()));
                    assertThat(to.readReply()).as("RESTORE of %s", key).isEqualTo(new RespValue.SimpleString("OK"));
                    to.send(List.of("GET".getBytes(), key.getBytes()));
                    assertThat(((RespValue.BulkString) to.readReply()).value()).isEqualTo(value);
                }
            }
        }
    }

    /** Commands that build each collection type, in compact and in large encodings. */
    private static final String[][] COLLECTIONS = {
        {"small-list", "RPUSH", "a", "b", "c", "123", "-5"},
        {"small-hash", "HSET", "f1", "v1", "f2", "42", "f3", "-70000"},
        {"small-intset", "SADD", "1", "2", "300", "-40000", "5000000000"},
        {"small-set", "SADD", "a", "b", "c"},
        {"small-zset", "ZADD", "1", "a", "2.5", "b", "-3", "c", "inf", "d"},
    };

    private static void build(RawConnection c) throws Exception {
        c.call("FLUSHALL");
        for (String[] cmd : COLLECTIONS) {
            String[] full = new String[cmd.length];
            full[0] = cmd[1];
            full[1] = cmd[0];
            System.arraycopy(cmd, 2, full, 2, cmd.length - 2);
            c.call(full);
        }
        for (int i = 0; i < 1000; i++) { // past every compact threshold
            c.call("RPUSH", "big-list", "element-" + i);
            c.call("HSET", "big-hash", "field-" + i, "value-" + i);
            c.call("SADD", "big-intset", Integer.toString(i * 7));
            c.call("SADD", "big-set", "member-" + i);
            c.call("ZADD", "big-zset", Integer.toString(i % 37), "member-" + i);
        }
        c.call("HSET", "long-value-hash", "f", "x".repeat(100));
    }

    @Test
    void collectionPayloadsTravelBothWays() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode rookery = TestNode.start();
             RawConnection theirs = new RawConnection(redis.port()); RawConnection ours = new RawConnection(rookery.port())) {
            List<String> keys = List.of("small-list", "small-hash", "small-intset", "small-set", "small-zset",
                    "big-list", "big-hash", "big-intset", "big-set", "big-zset", "long-value-hash");
            for (RawConnection[] pair : new RawConnection[][]{{theirs, ours}, {ours, theirs}}) {
                RawConnection from = pair[0];
                RawConnection to = pair[1];
                build(from);
                to.call("FLUSHALL");
                for (String key : keys) {
                    byte[] payload = ((RespValue.BulkString) from.call("DUMP", key)).value();
                    to.send(List.of("RESTORE".getBytes(), key.getBytes(), "0".getBytes(), payload));
                    assertThat(to.readReply()).as("RESTORE of %s", key).isEqualTo(new RespValue.SimpleString("OK"));
                    assertThat(io.rookery.node.support.KeyDump.value(to, key)).as(key).isEqualTo(io.rookery.node.support.KeyDump.value(from, key));
                }
            }
        }
    }

    private static List<byte[]> values(byte[] random) {
        List<byte[]> out = new java.util.ArrayList<>();
        for (String v : VALUES) {
            out.add(v.getBytes(StandardCharsets.UTF_8));
        }
        out.add(random);
        return out;
    }

    @Test
    void keySlotsMatchClusterKeyslot() throws Exception {
        String[] args = {"--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + System.nanoTime() + ".conf"};
        try (RealRedis redis = RealRedis.start(args); RawConnection conn = new RawConnection(redis.port())) {
            Random rnd = new Random(9);
            for (int i = 0; i < 2000; i++) {
                String key = switch (i % 4) {
                    case 0 -> "key:" + i;
                    case 1 -> "{user" + i + "}.following";
                    case 2 -> "a{" + (i % 7 == 0 ? "" : "tag" + i) + "}b";
                    default -> Long.toHexString(rnd.nextLong());
                };
                long expected = ((RespValue.Integer) conn.call("CLUSTER", "KEYSLOT", key)).value();
                assertThat(SlotHash.slot(key.getBytes(StandardCharsets.UTF_8))).as(key).isEqualTo((int) expected);
            }
        }
    }
}
