package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HyperLogLogs through Lettuce, RESP2 and RESP3: unique-visitor counting as an application does it. */
class HyperLogLogIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static String[] visitors(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "visitor:" + i).toArray(String[]::new);
    }

    @ParameterizedTest(name = "PFADD reports whether a register changed and PFCOUNT estimates the cardinality ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void addAndCount(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            assertThat(r.pfadd("day", "a", "b", "c")).isEqualTo(1);
            assertThat(r.pfadd("day", "a", "b", "c")).isZero();
            assertThat(r.pfcount("day")).isEqualTo(3);
            assertThat(r.pfcount("nothing")).isZero();
            assertThat(r.get("day")).startsWith("HYLL");
            r.pfadd("big", visitors(0, 10_000));
            assertThat(r.pfcount("big")).isBetween(9_800L, 10_200L);
        }
    }

    @ParameterizedTest(name = "PFCOUNT of several keys and PFMERGE count the union ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void unions(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.pfadd("mon", visitors(0, 600));
            r.pfadd("tue", visitors(400, 1000));
            assertThat(r.pfcount("mon", "tue", "nothing")).isBetween(980L, 1020L);
            assertThat(r.pfmerge("week", "mon", "tue")).isEqualTo("OK");
            assertThat(r.pfcount("week")).isEqualTo(r.pfcount("mon", "tue"));
        }
    }

    @ParameterizedTest(name = "a sparse HLL turns dense past hll-sparse-max-bytes and PFDEBUG shows it ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void encodings(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.pfadd("h", "a");
            assertThat(pfdebugEncoding(r, "h")).isEqualTo("sparse");
            assertThat(r.strlen("h")).isLessThan(100);
            r.configSet("hll-sparse-max-bytes", "100");
            r.pfadd("h", visitors(0, 200));
            assertThat(r.strlen("h")).isEqualTo(16 + 12288);
            assertThat(pfdebugEncoding(r, "h")).isEqualTo("dense");
            r.configSet("hll-sparse-max-bytes", "3000");
        }
    }

    private static String pfdebugEncoding(RedisCommands<String, String> r, String key) {
        return r.dispatch(() -> "PFDEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("ENCODING").addKey(key));
    }

    @ParameterizedTest(name = "a string that is not a HLL and a corrupted HLL get Redis's errors ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void errors(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.set("text", "hello");
            assertThatThrownBy(() -> r.pfadd("text", "a")).hasMessage("WRONGTYPE Key is not a valid HyperLogLog string value.");
            r.lpush("list", "a");
            assertThatThrownBy(() -> r.pfcount("list")).hasMessageStartingWith("WRONGTYPE Operation against a key");
            r.pfadd("h", "a", "b");
            r.setrange("h", 16, "\u007f\u007f\u007f"); // opcodes covering more than 16384 registers
            assertThatThrownBy(() -> r.pfcount("h")).hasMessage("INVALIDOBJ Corrupted HLL object detected");
        }
    }
}
