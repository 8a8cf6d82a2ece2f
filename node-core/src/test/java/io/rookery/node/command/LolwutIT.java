package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.SharedNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LOLWUT against real redis-server 7.0.15: the same text for the same arguments wherever Redis draws
 * without randomness (the version line; Schotter's first two rows of squares), and the same shape
 * (size, caption) for the skyline, whose windows and heights are random in Redis too.
 */
@Tag("interop")
class LolwutIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static final io.lettuce.core.protocol.ProtocolKeyword LOLWUT = new io.lettuce.core.protocol.ProtocolKeyword() {
        @Override
        public byte[] getBytes() {
            return "LOLWUT".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "LOLWUT";
        }
    };

    private static String lolwut(int port, String... args) {
        try (Lettuce l = Lettuce.connect(port, ProtocolVersion.RESP2)) {
            CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
            for (String s : args) {
                a.add(s);
            }
            return l.sync().dispatch(LOLWUT, new StatusOutput<>(StringCodec.UTF8), a);
        }
    }

    @Test
    void theDeterministicDrawingsAreRedisOwnByteForByte() {
        try (RealRedis redis = RealRedis.start()) {
            String[][] cases = {{}, {"VERSION", "7"}, {"VERSION", "5", "10", "2", "2"}, {"VERSION", "5", "20", "3", "2"},
                    {"VERSION", "5", "1", "1", "1"}, {"VERSION", "5", "33", "5", "1"}, {"VERSION", "5", "66", "8", "2"},
                    {"VERSION", "-1"}, {"VERSION", "5", "0", "0", "0"}};
            for (String[] args : cases) {
                assertThat(lolwut(node.port(), args)).as(String.join(" ", args)).isEqualTo(lolwut(redis.port(), args));
            }
        }
    }

    @Test
    void theRandomDrawingsHaveRedisShape() {
        String schotter = lolwut(node.port(), "VERSION", "5");
        assertThat(schotter.split("\n")[0]).hasSize(66);
        assertThat(schotter).endsWith("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n");
        String skyline = lolwut(node.port(), "VERSION", "6", "40", "10");
        String[] lines = skyline.split("\n");
        assertThat(lines).hasSize(12);
        assertThat(lines[0].split(" \033\\[0m", -1)).hasSize(41);
        assertThat(skyline).endsWith("\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n");
    }
}
