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
