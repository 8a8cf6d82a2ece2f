package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import org.junit.jupiter.api.Test;

/** Compact encodings switch at Redis's thresholds and follow their configuration names. */
class EncodingsIT {

    private static String enc(RawConnection c, String key) throws Exception {
        return ((RespValue.BulkString) c.call("OBJECT", "ENCODING", key)).text();
    }

    @Test
    void encodingsSwitchAtTheirThresholds() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            c.call("CONFIG", "SET", "hash-max-listpack-entries", "4", "zset-max-ziplist-entries", "4", "set-max-intset-entries", "4");
            for (int i = 0; i < 4; i++) {
                c.call("HSET", "h", "f" + i, "v");
                c.call("ZADD", "z", Integer.toString(i), "m" + i);
                c.call("SADD", "s", Integer.toString(i));
            }
            assertThat(enc(c, "h")).isEqualTo("listpack");
            assertThat(enc(c, "z")).isEqualTo("listpack");
            assertThat(enc(c, "s")).isEqualTo("intset");
            c.call("HSET", "h", "f4", "v");
            c.call("ZADD", "z", "4", "m4");
            c.call("SADD", "s", "4");
            assertThat(enc(c, "h")).isEqualTo("hashtable");
            assertThat(enc(c, "z")).isEqualTo("skiplist");
            assertThat(enc(c, "s")).isEqualTo("hashtable");
            c.call("SADD", "s2", "notanumber");
            assertThat(enc(c, "s2")).isEqualTo("hashtable");
            c.call("HSET", "h2", "f", "x".repeat(65));
            assertThat(enc(c, "h2")).isEqualTo("hashtable");
            c.call("ZADD", "z2", "1", "y".repeat(65));
            assertThat(enc(c, "z2")).isEqualTo("skiplist");
            c.call("RPUSH", "l", "a");
            assertThat(enc(c, "l")).isEqualTo("quicklist");
            assertThat(c.call("CONFIG", "GET", "hash-max-ziplist-entries").toString()).contains("4");
        }
    }

    @Test
    void bigSortedSetsKeepRanksAndOrderAcrossTheSkiplist() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            for (int i = 999; i >= 0; i--) {
                c.call("ZADD", "big", Integer.toString(i), String.format("m%04d", i));
            }
            assertThat(enc(c, "big")).isEqualTo("skiplist");
            assertThat(c.call("ZRANK", "big", "m0500")).isEqualTo(new RespValue.Integer(500));
            assertThat(c.call("ZCOUNT", "big", "(100", "200")).isEqualTo(new RespValue.Integer(100));
            RespValue range = c.call("ZRANGEBYSCORE", "big", "10", "12");
            assertThat(range.toString()).contains("m0010", "m0011", "m0012");
            c.call("ZREMRANGEBYRANK", "big", "0", "99");
            assertThat(c.call("ZCARD", "big")).isEqualTo(new RespValue.Integer(900));
            assertThat(c.call("ZRANK", "big", "m0500")).isEqualTo(new RespValue.Integer(400));
        }
    }
}
