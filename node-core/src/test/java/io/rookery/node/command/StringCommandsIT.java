package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** String and bitmap commands through Lettuce, in RESP2 and RESP3. */
class StringCommandsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RedisCommands<String, String> redis(Lettuce l) {
        l.sync().flushall();
        return l.sync();
    }

    @ParameterizedTest(name = "SET options behave as in Redis ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void setOptions(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            assertThat(r.set("k", "v")).isEqualTo("OK");
            assertThat(r.set("k", "w", SetArgs.Builder.nx())).isNull();
            assertThat(r.set("missing", "w", SetArgs.Builder.xx())).isNull();
            assertThat(r.setGet("k", "w")).isEqualTo("v");
            assertThat(r.set("k", "x", SetArgs.Builder.ex(100))).isEqualTo("OK");
            assertThat(r.ttl("k")).isBetween(99L, 100L);
            assertThat(r.set("k", "y", SetArgs.Builder.keepttl())).isEqualTo("OK");
            assertThat(r.ttl("k")).isBetween(99L, 100L);
            r.set("k", "z");
            assertThat(r.ttl("k")).isEqualTo(-1);
            assertThatThrownBy(() -> r.set("k", "v", SetArgs.Builder.ex(0)))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR invalid expire time in 'set' command");
        }
    }

    @ParameterizedTest(name = "counters and floats ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void counters(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            assertThat(r.incr("c")).isEqualTo(1);
            assertThat(r.incrby("c", 41)).isEqualTo(42);
            assertThat(r.decrby("c", 2)).isEqualTo(40);
            assertThat(r.incrbyfloat("f", 10.5)).isEqualTo(10.5);
            assertThat(r.incrbyfloat("f", 0.1)).isEqualTo(10.6);
            assertThat(r.get("f")).isEqualTo("10.6");
            r.set("big", Long.toString(Long.MAX_VALUE));
            assertThatThrownBy(() -> r.incr("big")).hasMessage("ERR increment or decrement would overflow");
            r.set("s", "abc");
            assertThatThrownBy(() -> r.incr("s")).hasMessage("ERR value is not an integer or out of range");
            r.rpush("list", "x");
            assertThatThrownBy(() -> r.get("list")).hasMessageStartingWith("WRONGTYPE");
        }
    }

    @ParameterizedTest(name = "multi-key, range and expiry variants ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void multiKeyAndRanges(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            r.mset(java.util.Map.of("a", "1", "b", "2"));
            assertThat(r.mget("a", "b", "nope")).containsExactly(KeyValue.just("a", "1"), KeyValue.just("b", "2"), KeyValue.empty("nope"));
            assertThat(r.msetnx(java.util.Map.of("a", "9", "z", "9"))).isFalse();
            assertThat(r.append("a", "23")).isEqualTo(3);
            assertThat(r.getrange("a", 1, -1)).isEqualTo("23");
            assertThat(r.setrange("a", 5, "x")).isEqualTo(6);
            assertThat(r.get("a")).isEqualTo("123\0\0x");
            assertThat(r.strlen("a")).isEqualTo(6);
            assertThat(r.getex("b", GetExArgs.Builder.ex(50))).isEqualTo("2");
            assertThat(r.ttl("b")).isPositive();
            assertThat(r.getdel("b")).isEqualTo("2");
            assertThat(r.exists("b")).isZero();
            assertThat(r.setnx("n", "1")).isTrue();
            assertThat(r.setex("e", 10, "v")).isEqualTo("OK");
            assertThat(r.psetex("pe", 10_000, "v")).isEqualTo("OK");
            assertThat(r.pttl("pe")).isBetween(9_000L, 10_000L);
        }
    }

    @ParameterizedTest(name = "LCS and bit commands ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void lcsAndBits(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            r.mset(java.util.Map.of("k1", "ohmytext", "k2", "mynewtext"));
            assertThat(r.lcs(LcsArgs.Builder.keys("k1", "k2")).getMatchString()).isEqualTo("mytext");
            assertThat(r.lcs(LcsArgs.Builder.keys("k1", "k2").justLen()).getLen()).isEqualTo(6);
            var idx = r.lcs(LcsArgs.Builder.keys("k1", "k2").withIdx().withMatchLen());
            assertThat(idx.getLen()).isEqualTo(6);
            assertThat(idx.getMatches()).hasSize(2);
            assertThat(idx.getMatches().get(0).getA().getStart()).isEqualTo(4);
            assertThat(idx.getMatches().get(0).getMatchLen()).isEqualTo(4);
            assertThat(r.setbit("b", 7, 1)).isZero();
            assertThat(r.getbit("b", 7)).isOne();
            assertThat(r.bitcount("b")).isOne();
            assertThat(r.bitpos("b", true)).isEqualTo(7);
            r.set("x", "foobar");
            r.set("y", "abcdef");
            assertThat(r.bitopAnd("dest", "x", "y")).isEqualTo(6);
            assertThat(r.get("dest")).isEqualTo("`bc`ab");
            List<Long> bf = r.bitfield("bf", BitFieldArgs.Builder.set(BitFieldArgs.signed(8), 0, 100)
                    .get(BitFieldArgs.signed(8), 0).overflow(BitFieldArgs.OverflowType.SAT).incrBy(BitFieldArgs.signed(8), 0, 100));
            assertThat(bf).containsExactly(0L, 100L, 127L);
        }
    }
}
