package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A MIGRATE ... KEYS batch whose target acknowledges the first keys and then goes away (the
 * connection closes before the other replies): the source deletes exactly the acknowledged keys,
 * keeps the others and replies IOERR, as real redis-server 7.0 does against the same scripted target.
 * A key leaves the source only on the target's +OK for it, so a target that dies mid-batch costs no
 * key — as long as what it acknowledged survives its restart (see StopUnderWritesIT).
 */
class MigrateTargetGoneMidBatchIT {

    @Test
    void rookeryKeepsTheKeysTheTargetDidNotAcknowledge() throws Exception {
        try (TestNode source = TestNode.start()) {
            acknowledgeTwoOfFourThenHangUp(source.port());
        }
    }

    @Test
    void realRedisKeepsTheKeysTheTargetDidNotAcknowledge() throws Exception {
        try (RealRedis source = RealRedis.start()) {
            acknowledgeTwoOfFourThenHangUp(source.port());
        }
    }

    private static void acknowledgeTwoOfFourThenHangUp(int sourcePort) throws Exception {
        try (HeldTarget target = new HeldTarget(); RawConnection c = new RawConnection(sourcePort)) {
            c.call("MSET", "k1", "v1", "k2", "v2", "k3", "v3", "k4", "v4");
            c.send(args("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "10000",
                    "KEYS", "k1", "k2", "k3", "k4"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (completeCommands(target.received()) < 5) { // SELECT and four RESTOREs
                assertThat(System.nanoTime()).as("the source sent SELECT and 4 RESTOREs: " + target.received())
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(target.received()).contains("RESTORE");
            target.answer("+OK\r\n+OK\r\n+OK\r\n"); // SELECT, k1, k2
            target.hangUp();
            assertThat(c.readReply()).isEqualTo(new RespValue.Error("IOERR error or timeout reading to target instance"));
            assertThat(c.call("EXISTS", "k1", "k2")).as("the acknowledged keys left").isEqualTo(new RespValue.Integer(0));
            assertThat(c.call("MGET", "k3", "k4")).as("the others stayed").isEqualTo(new RespValue.Array(List.of(
                    bulk("v3"), bulk("v4"))));
        }
    }

    /** How many complete RESP arrays of bulk strings {@code text} holds (what the target received so far). */
    static int completeCommands(String text) {
        int count = 0;
        int i = 0;
        while (i < text.length() && text.charAt(i) == '*') {
            int eol = text.indexOf("\r\n", i);
            if (eol < 0) {
                return count;
            }
            int n = Integer.parseInt(text.substring(i + 1, eol));
            i = eol + 2;
            for (int a = 0; a < n; a++) {
                int lenEnd = text.indexOf("\r\n", i);
                if (lenEnd < 0 || text.charAt(i) != '$') {
                    return count;
                }
                int len = Integer.parseInt(text.substring(i + 1, lenEnd));
                i = lenEnd + 2 + len + 2;
                if (i > text.length()) {
                    return count;
                }
            }
            count++;
        }
        return count;
    }

    private static List<byte[]> args(String... a) {
        return List.of(a).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(StandardCharsets.UTF_8));
    }
}
