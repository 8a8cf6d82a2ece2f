package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The interpreter without a server: Lua → Redis reply conversion, the sandbox's refusals and the
 * bundled libraries (bit, cjson, cmsgpack), against the texts real Redis 7.0 gives.
 */
class LuaSandboxTest {
    private static final ScriptCommandRunner RUNNER = new ScriptCommandRunner(
            new Dispatcher(new CommandRegistry(CommandTable.standard()), new Keyspace(new NodeConfig()), new NodeConfig()));
    private static final ScriptEngine ENGINE = new ScriptEngine(RUNNER, null, new ScriptRandom());
    private static final Client CALLER = new Client(1, new DetachedConnection("test"),
            io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 0);

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    private static RespValue eval(String script, String... argv) {
        byte[][] a = new byte[3 + argv.length][];
        a[0] = "eval".getBytes(StandardCharsets.US_ASCII);
        a[1] = script.getBytes(StandardCharsets.UTF_8);
        a[2] = "0".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < argv.length; i++) {
            a[3 + i] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        int ref;
        try {
            ref = ENGINE.compile(a[1], "@user_script");
        } catch (party.iroiro.luajava.LuaException e) {
            return new RespValue.Error("compile: " + e.getMessage());
        }
        RespValue v = ENGINE.run(new ScriptRun(CALLER, "test", true, false, false), ref, a, 3, 0);
        ENGINE.release(ref);
        return v;
    }

    private static String text(RespValue v) {
        if (v instanceof RespValue.BulkString b) {
            return new String(b.value(), StandardCharsets.ISO_8859_1);
        }
        if (v instanceof RespValue.Error e) {
            return e.message();
        }
        return String.valueOf(v);
    }

    @Test
    void numbersTruncateToIntegersAndArraysStopAtTheFirstNil() {
        assertThat(eval("return 3.99")).isEqualTo(new RespValue.Integer(3));
        assertThat(eval("return -3.99")).isEqualTo(new RespValue.Integer(-3));
        assertThat(eval("return {1, 2, nil, 4}")).isEqualTo(new RespValue.Array(java.util.List.of(
                new RespValue.Integer(1), new RespValue.Integer(2))));
        assertThat(eval("return true")).isEqualTo(new RespValue.Integer(1));
        assertThat(eval("return false")).isEqualTo(new RespValue.Null());
    }

    @Test
    void errAndOkTablesBecomeErrorAndStatusReplies() {
        assertThat(eval("return {err='My Error'}")).isEqualTo(new RespValue.Error("My Error"));
        assertThat(eval("return {ok='fine'}")).isEqualTo(new RespValue.SimpleString("fine"));
        assertThat(eval("return redis.error_reply('-MYCODE custom')")).isEqualTo(new RespValue.Error("MYCODE custom"));
    }

    @Test
    void underResp3TheScriptRepliesDoublesMapsSetsAndBooleans() {
        assertThat(eval("redis.setresp(3); return {double=3.5}")).isEqualTo(new RespValue.Double(3.5));
        assertThat(eval("redis.setresp(3); return true")).isEqualTo(new RespValue.Boolean(true));
        assertThat(eval("return {map={a=1}}")).isEqualTo(new RespValue.Map(java.util.List.of(
                new RespValue.BulkString("a".getBytes()), new RespValue.Integer(1))));
    }

    @Test
    void theSandboxRefusesGlobalsAndHidesTheFileFunctions() {
        assertThat(text(eval("a = 1"))).startsWith("ERR user_script:1: Attempt to modify a readonly table script: test, on @user_script:1.");
        assertThat(text(eval("return undefined_thing"))).startsWith(
                "ERR user_script:1: Script attempted to access nonexistent global variable 'undefined_thing'");
        assertThat(text(eval("return loadfile"))).contains("nonexistent global variable 'loadfile'");
        assertThat(text(eval("return os"))).contains("nonexistent global variable 'os'");
        assertThat(text(eval("redis.call = nil"))).contains("Attempt to modify a readonly table");
        assertThat(text(eval("setmetatable(_G, {})"))).startsWith("ERR Attempt to modify a readonly table");
        assertThat(text(eval("return loadstring(string.dump(function() return 1 end))()"))).contains("attempt to call a nil value");
    }

    @Test
    void bytesCrossTheBoundaryUnchanged() {
        String binary = "a\u0000b\u00ff\u00c3\u00a9";
        assertThat(text(eval("return ARGV[1]", binary))).isEqualTo(binary);
        assertThat(eval("return #ARGV[1]", binary)).isEqualTo(new RespValue.Integer(6));
    }

    @Test
    void bitCjsonAndCmsgpackBehaveAsRedisBundlesThem() {
        assertThat(text(eval("return bit.tohex(65535, -4)"))).isEqualTo("FFFF");
        assertThat(eval("return bit.bnot(0)")).isEqualTo(new RespValue.Integer(-1));
        assertThat(text(eval("return cjson.encode({1, 2, 'a/b', {x=0.1}})"))).isEqualTo("[1,2,\"a\\/b\",{\"x\":0.1}]");
        assertThat(text(eval("return cjson.encode({})"))).isEqualTo("{}");
        assertThat(eval("return cjson.decode('[1,2,{\"a\":[3]}]')[3].a[1]")).isEqualTo(new RespValue.Integer(3));
        assertThat(text(eval("return cjson.decode('[1,')"))).contains("Expected value but found T_END at character 4");
        assertThat(eval("return cjson.decode('null') == cjson.null")).isEqualTo(new RespValue.Integer(1));
        assertThat(eval("local t = cmsgpack.unpack(cmsgpack.pack({1, 'two', {k=-1099511627776}})) return t[3].k == -1099511627776"))
                .isEqualTo(new RespValue.Integer(1));
        assertThat(text(eval("return cmsgpack.pack(0.1)"))).hasSize(9);
    }
}
