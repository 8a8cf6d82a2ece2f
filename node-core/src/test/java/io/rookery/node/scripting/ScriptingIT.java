package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.FlushMode;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** EVAL, EVALSHA, SCRIPT, FUNCTION and FCALL through Lettuce, in RESP2 and RESP3. */
class ScriptingIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RedisCommands<String, String> redis(Lettuce l) {
        l.sync().flushall();
        l.sync().scriptFlush();
        l.sync().functionFlush(FlushMode.SYNC);
        return l.sync();
    }

    @ParameterizedTest(name = "a script reads and writes keys through redis.call ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void scriptRunsCommands(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            String set = r.eval("return redis.call('set', KEYS[1], ARGV[1])", ScriptOutputType.STATUS, new String[] {"k"}, "v");
            assertThat(set).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("v");
            Long incr = r.eval("redis.call('incrby', KEYS[1], ARGV[1]); return redis.call('incrby', KEYS[1], ARGV[1])",
                    ScriptOutputType.INTEGER, new String[] {"n"}, "5");
            assertThat(incr).isEqualTo(10);
            List<Object> list = r.eval("return {1, 'two', {3}}", ScriptOutputType.MULTI);
            assertThat(list).containsExactly(1L, "two", List.of(3L));
        }
    }

    @Test
    void evalshaAnswersNoscriptUntilTheScriptIsLoadedAndForgetsItOnFlush() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            String body = "return ARGV[1] .. '!'";
            String sha = r.digest(body);
            assertThatThrownBy(() -> r.evalsha(sha, ScriptOutputType.VALUE, new String[0], "hi"))
                    .isInstanceOf(RedisNoScriptException.class)
                    .hasMessage("NOSCRIPT No matching script. Please use EVAL.");
            assertThat(r.scriptLoad(body)).isEqualTo(sha);
            assertThat(r.scriptExists(sha, "ffffffffffffffffffffffffffffffffffffffff")).containsExactly(true, false);
            String reply = r.evalsha(sha, ScriptOutputType.VALUE, new String[0], "hi");
            assertThat(reply).isEqualTo("hi!");
            r.scriptFlush();
            assertThat(r.scriptExists(sha)).containsExactly(false);
        }
    }

    @Test
    void scriptErrorsCarryTheScriptAndLineAsRedisFormatsThem() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            r.set("s", "x");
            assertThatThrownBy(() -> r.eval("return redis.call('incr', KEYS[1])", ScriptOutputType.INTEGER, "s"))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("ERR value is not an integer or out of range script: ")
                    .hasMessageEndingWith(", on @user_script:1.");
            assertThatThrownBy(() -> r.eval("x = 1", ScriptOutputType.STATUS))
                    .hasMessageContaining("user_script:1: Attempt to modify a readonly table");
        }
    }

    @Test
    void readOnlyScriptsRefuseWrites() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            assertThatThrownBy(() -> r.evalReadOnly("return redis.call('set', 'a', 'b')".getBytes(), ScriptOutputType.STATUS,
                    new String[] {"a"}))
                    .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
            assertThat(r.get("a")).isNull();
        }
    }

    @Test
    void aFunctionLibraryLoadsAndItsFunctionsAreCalledByName() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = redis(l);
            String lib = "#!lua name=mylib\n"
                    + "redis.register_function('myset', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
                    + "redis.register_function{function_name='myget', callback=function(keys) return redis.call('get', keys[1]) end,"
                    + " flags={'no-writes'}}";
            assertThat(r.functionLoad(lib)).isEqualTo("mylib");
            assertThatThrownBy(() -> r.functionLoad(lib)).hasMessage("ERR Library 'mylib' already exists");
            assertThat((String) r.fcall("myset", ScriptOutputType.STATUS, new String[] {"k"}, "v")).isEqualTo("OK");
            assertThat((String) r.fcallReadOnly("myget", ScriptOutputType.VALUE, new String[] {"k"})).isEqualTo("v");
            assertThatThrownBy(() -> r.fcallReadOnly("myset", ScriptOutputType.STATUS, new String[] {"k"}, "w"))
                    .hasMessage("ERR Can not execute a script with write flag using *_ro command.");
            assertThat(r.functionList()).hasSize(1);
            assertThat(r.dispatch(io.lettuce.core.protocol.CommandType.FUNCTION,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("DELETE").add("mylib")))
                    .isEqualTo("OK");
            assertThatThrownBy(() -> r.fcall("myget", ScriptOutputType.VALUE, new String[] {"k"}))
                    .hasMessage("ERR Function not found");
        }
    }

    @Test
    void functionDumpRestoresTheLibraries() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            r.functionLoad("#!lua name=lib1\nredis.register_function('one', function() return 1 end)");
            byte[] dump = r.functionDump();
            r.functionFlush(FlushMode.SYNC);
            assertThat(r.functionRestore(dump)).isEqualTo("OK");
            assertThat((Long) r.fcall("one", ScriptOutputType.INTEGER)).isEqualTo(1L);
        }
    }

    /**
     * What Spring Data Redis's DefaultScriptExecutor does for a {@code RedisScript} (Lettuce below):
     * EVALSHA with the script's SHA1, and on NOSCRIPT the full script with EVAL, which also caches it.
     */
    private static <T> T executeLikeRedisScript(RedisCommands<String, String> r, String script, ScriptOutputType type,
            String[] keys, String... args) {
        try {
            return r.evalsha(r.digest(script), type, keys, args);
        } catch (RedisNoScriptException e) {
            return r.eval(script, type, keys, args);
        }
    }

    @ParameterizedTest(name = "a RedisScript-style EVALSHA falls back to EVAL once, then runs from the cache ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void redisScriptFlowFallsBackToEvalOnceThenUsesTheCache(ProtocolVersion protocol) {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = redis(l);
            String compareAndSet = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[1], ARGV[2]) "
                    + "return true end return false";
            String sha = r.digest(compareAndSet);
            r.set("cas", "a");
            Boolean first = executeLikeRedisScript(r, compareAndSet, ScriptOutputType.BOOLEAN, new String[] {"cas"}, "a", "b");
            assertThat(first).isTrue();
            assertThat(r.scriptExists(sha)).containsExactly(true);
            Boolean second = executeLikeRedisScript(r, compareAndSet, ScriptOutputType.BOOLEAN, new String[] {"cas"}, "a", "c");
            assertThat(second).isFalse();
            assertThat(r.get("cas")).isEqualTo("b");
            Long counter = executeLikeRedisScript(r, "return redis.call('incrby', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
                    new String[] {"n"}, "7");
            assertThat(counter).isEqualTo(7);
            List<Object> values = executeLikeRedisScript(r, "return redis.call('mget', KEYS[1], KEYS[2])",
                    ScriptOutputType.MULTI, new String[] {"cas", "n"});
            assertThat(values).containsExactly("b", "7");
            String status = executeLikeRedisScript(r, "return redis.call('set', KEYS[1], ARGV[1])", ScriptOutputType.STATUS,
                    new String[] {"s"}, "v");
            assertThat(status).isEqualTo("OK");
        }
    }

    @Test
    void overMaxmemoryTheGateJudgesAScriptByItsDeclaredFlags() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            r.functionLoad("#!lua name=lib\nredis.register_function('w', function() return 1 end)\n"
                    + "redis.register_function{function_name='r', callback=function() return 2 end, flags={'no-writes'}}");
            r.configSet("maxmemory", "1");
            try {
                String oom = "OOM command not allowed when used memory > 'maxmemory'.";
                assertThatThrownBy(() -> r.eval("#!lua\nreturn 1", ScriptOutputType.INTEGER)).hasMessage(oom);
                assertThatThrownBy(() -> r.evalReadOnly("#!lua\nreturn 1".getBytes(), ScriptOutputType.INTEGER, new String[0]))
                        .hasMessage(oom);
                assertThatThrownBy(() -> r.fcall("w", ScriptOutputType.INTEGER)).hasMessage(oom);
                Long noWrites = r.eval("#!lua flags=no-writes\nreturn 1", ScriptOutputType.INTEGER);
                assertThat(noWrites).isEqualTo(1);
                Long compat = r.eval("return 1", ScriptOutputType.INTEGER);
                assertThat(compat).as("a script without a shebang is judged by what it runs").isEqualTo(1);
                Long readOnlyFunction = r.fcall("r", ScriptOutputType.INTEGER);
                assertThat(readOnlyFunction).isEqualTo(2);
                assertThatThrownBy(() -> r.eval("#!lua flags=no-writes\nreturn redis.call('publish', 'c', 'm')",
                        ScriptOutputType.INTEGER)).hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
            } finally {
                r.configSet("maxmemory", "0");
            }
        }
    }

    @Test
    void theStringsMetatableIsReadOnlyAndStringMethodsKeepWorking() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            assertThatThrownBy(() -> r.eval("getmetatable('').__index = nil", ScriptOutputType.STATUS))
                    .hasMessageStartingWith("ERR user_script:1: Attempt to modify a readonly table");
            assertThatThrownBy(() -> r.eval("getmetatable('').__index.upper = 1", ScriptOutputType.STATUS))
                    .hasMessageStartingWith("ERR user_script:1: Attempt to modify a readonly table");
            assertThatThrownBy(() -> r.eval("rawset(getmetatable(''), '__index', nil)", ScriptOutputType.STATUS))
                    .hasMessageStartingWith("ERR Attempt to modify a readonly table");
            String upper = r.eval("return ('abc'):upper()", ScriptOutputType.VALUE);
            assertThat(upper).isEqualTo("ABC");
            Boolean same = r.eval("return getmetatable('').__index == string", ScriptOutputType.BOOLEAN);
            assertThat(same).isTrue();
        }
    }

    @Test
    void errorAndStatusReplyWithBadArgumentsReturnAnErrorRatherThanRaise() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = redis(l);
            assertThatThrownBy(() -> r.eval("return redis.error_reply()", ScriptOutputType.STATUS))
                    .hasMessage("ERR wrong number or type of arguments");
            assertThatThrownBy(() -> r.eval("return redis.status_reply(1, 2)", ScriptOutputType.STATUS))
                    .hasMessage("ERR wrong number or type of arguments");
        }
    }
}
