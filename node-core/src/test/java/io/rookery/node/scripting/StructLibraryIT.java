package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code struct} library scripts see (Redis's lua_struct.c): the bytes pack writes, what unpack
 * reads back, size, and the error texts, each as real redis-server 7.0 answers them.
 */
class StructLibraryIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static List<Object> multi(RedisCommands<String, String> r, String script) {
        return r.eval(script, ScriptOutputType.MULTI);
    }

    @Test
    void packWritesIntegersInTheOrderTheFormatAsks() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            assertThat(multi(r, "return {string.byte(struct.pack('>i2<H', 258, 772), 1, -1)}")).containsExactly(1L, 2L, 4L, 3L);
            assertThat(multi(r, "return {string.byte(struct.pack('s c0 x', 'ab', 'cd'), 1, -1)}"))
                    .containsExactly(97L, 98L, 0L, 99L, 100L, 0L);
            assertThat(multi(r, "return {string.byte(struct.pack('L', -1), 1, -1)}")).hasSize(8).containsOnly(255L);
            assertThat(multi(r, "return {string.byte(struct.pack('!4 b i', 1, 2), 1, -1)}"))
                    .containsExactly(1L, 0L, 0L, 0L, 2L, 0L, 0L, 0L);
        }
    }

    @Test
    void unpackReadsBackWhatPackWroteAndTheNextPosition() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            assertThat(multi(r, "return {struct.unpack('>i2<H', struct.pack('>i2<H', -2, 772))}")).containsExactly(-2L, 772L, 5L);
            assertThat(multi(r, "return {struct.unpack('b c0', struct.pack('b c0', 3, 'xyz'))}")).containsExactly("xyz", 5L);
            assertThat(multi(r, "local a, b = struct.unpack('<f>d', struct.pack('<f>d', 0.25, -3.75)) "
                    + "return {tostring(a), tostring(b)}")).containsExactly("0.25", "-3.75");
            assertThat(multi(r, "return {tostring(struct.unpack('L', struct.pack('L', -1)))}"))
                    .containsExactly("1.844674407371e+19");
            assertThat(multi(r, "return {struct.unpack('s', 'ab\\0cd\\0', 4)}")).containsExactly("cd", 7L);
            Long size = r.eval("return struct.size('!4 b i d')", ScriptOutputType.INTEGER);
            assertThat(size).isEqualTo(16);
        }
    }

    @Test
    void badFormatsAndShortDataRaiseTheLibrarysErrors() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            assertError(r, "return struct.pack('zz', 1)", "user_script:1: bad argument #1 to 'pack' (invalid format option 'z')");
            assertError(r, "return struct.unpack('i', 'ab')", "user_script:1: bad argument #2 to 'unpack' (data string too short)");
            assertError(r, "return struct.size('s')", "user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)");
            assertError(r, "return struct.pack('i40', 1)", "user_script:1: integral size 40 is larger than limit of 32");
            assertError(r, "return struct.pack('!3i', 1)", "user_script:1: alignment 3 is not a power of 2");
            assertError(r, "return struct.pack('c5', 'ab')", "user_script:1: bad argument #3 to 'pack' (string too short)");
            assertError(r, "return struct.unpack('i', 'abcd', 0)",
                    "user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)");
            assertError(r, "return struct.unpack('s', 'abc')", "user_script:1: unfinished string in data");
            assertError(r, "return struct.pack('i')", "user_script:1: bad argument #2 to 'pack' (number expected, got nil)");
        }
    }

    @Test
    void theStructTableIsReadOnly() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            assertError(l.sync(), "struct.pack = nil", "user_script:1: Attempt to modify a readonly table");
        }
    }

    private static void assertError(RedisCommands<String, String> r, String script, String message) {
        assertThatThrownBy(() -> r.eval(script, ScriptOutputType.VALUE)).hasMessageContaining("ERR " + message);
    }
}
