package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Which scripts run on the command thread: those whose bytecode cannot reach the busy check (no
 * loop, no function of their own, no way to Lua code they did not compile), judged on the real
 * interpreter's string.dump.
 */
class BoundedChunkTest {
    private static final ScriptEngine ENGINE = new ScriptEngine(new ScriptCommandRunner(
            new Dispatcher(new CommandRegistry(CommandTable.standard()), new Keyspace(new NodeConfig()), new NodeConfig())),
            null, new ScriptRandom());

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    private static boolean bounded(String script) throws Exception {
        int ref = ENGINE.compile(script.getBytes(StandardCharsets.UTF_8), "@user_script");
        try {
            return ENGINE.bounded(ref);
        } finally {
            ENGINE.release(ref);
        }
    }

    @Test
    void straightLineScriptsAreBounded() throws Exception {
        assertThat(bounded("local n = redis.call('INCR', KEYS[1]) redis.call('EXPIRE', KEYS[1], ARGV[1]) return n")).isTrue();
        assertThat(bounded("return 1")).isTrue();
        assertThat(bounded("")).isTrue();
        assertThat(bounded("local v = redis.call('GET', KEYS[1]) if v == ARGV[1] then return redis.call('DEL', KEYS[1]) "
                + "elseif not v then return 0 else return -1 end")).isTrue();
        assertThat(bounded("local t = cjson.decode(ARGV[1]) return {t.a, tonumber(ARGV[2]) + 1, string.rep('x', 3):upper()}")).isTrue();
        assertThat(bounded("return redis.error_reply('no')")).isTrue();
    }

    @Test
    void loopsAreNot() throws Exception {
        assertThat(bounded("while true do end")).isFalse();
        assertThat(bounded("repeat local x = 1 until false")).isFalse();
        assertThat(bounded("for i = 1, 3 do redis.call('INCR', KEYS[1]) end")).isFalse();
        assertThat(bounded("for _, k in ipairs(KEYS) do redis.call('DEL', k) end")).isFalse();
    }

    @Test
    void ownFunctionsAreNot() throws Exception {
        assertThat(bounded("local function f(n) return f(n) end return f(1)")).isFalse();
        assertThat(bounded("return table.sort(KEYS, function(a, b) return a < b end)")).isFalse();
    }

    @Test
    void waysToOtherLuaCodeAreNot() throws Exception {
        assertThat(bounded("return loadstring('while true do end')()")).isFalse();
        assertThat(bounded("return pcall(redis.call, 'GET', KEYS[1])")).isFalse(); // the sandbox's pcall is Lua
        assertThat(bounded("return table.sort(KEYS, pcall)")).isFalse();
        assertThat(bounded("return _G['loadstring']('return 1')()")).isFalse();
        assertThat(bounded("return getfenv(1).loadstring('return 1')()")).isFalse();
        assertThat(bounded("return coroutine.wrap(redis.call)('PING')")).isFalse();
        assertThat(bounded("return getmetatable('').__index")).isFalse();
        assertThat(bounded("cjson.decode_max_depth(100000) return #cjson.decode(ARGV[1])")).isFalse(); // deep: bigger stack
    }

    @Test
    void theSandboxNamesItsLuaWrittenGlobals() {
        assertThat(ENGINE.lua().luaCodeGlobals()).contains("pcall", "loadstring", "__redis__err__handler")
                .doesNotContain("redis", "string", "tonumber", "cjson", "KEYS");
    }

    @Test
    void aDumpItCannotReadIsNotBounded() {
        assertThat(BoundedChunk.isBounded(new byte[] {27, 'L', 'u', 'a', 0x51, 0, 1, 4, 8, 4, 8}, java.util.Set.of())).isFalse();
        assertThat(BoundedChunk.isBounded("return 1".getBytes(StandardCharsets.US_ASCII), java.util.Set.of())).isFalse();
    }
}
