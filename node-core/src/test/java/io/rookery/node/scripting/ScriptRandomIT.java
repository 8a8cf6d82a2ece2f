package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * math.random draws Redis 7.0's sequence: one rand48 state for the whole server from start-up,
 * shared by EVAL scripts and functions and kept across SCRIPT FLUSH. The numbers are what a fresh
 * redis-server 7.0.15 answers to the same calls.
 */
class ScriptRandomIT {

    @Test
    void aFreshNodesScriptsDrawRedissSequenceAcrossScriptsFunctionsAndScriptFlush() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            List<Object> first = r.eval("return {math.random(100), math.random(100)}", ScriptOutputType.MULTI);
            assertThat(first).containsExactly(40L, 85L);
            r.functionLoad("#!lua name=r\nredis.register_function('r', function() return math.random(100) end)");
            Long fromFunction = r.fcall("r", ScriptOutputType.INTEGER);
            assertThat(fromFunction).isEqualTo(36);
            r.scriptFlush();
            Long afterFlush = r.eval("return math.random(100)", ScriptOutputType.INTEGER);
            assertThat(afterFlush).isEqualTo(45);
            String fraction = r.eval("return tostring(math.random())", ScriptOutputType.VALUE);
            assertThat(fraction).isEqualTo("0.31869277233197");
            List<Object> seeded = r.eval("math.randomseed(42); return {math.random(1000), math.random(1000)}",
                    ScriptOutputType.MULTI);
            assertThat(seeded).containsExactly(745L, 343L);
        }
    }
}
