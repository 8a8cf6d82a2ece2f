package io.rookery.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input over a real socket: Redis's error text, then the connection closes (protocol errors) or
 * survives (command errors); commands before the error still run; the node keeps serving others.
 */
class ProtocolErrorsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static void assertClosesWith(String input, String error) throws Exception {
        try (RawConnection raw = new RawConnection(node.port())) {
            raw.sendRaw(input.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.readReply()).isEqualTo(new RespValue.Error("ERR " + error));
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void protocolErrorsAreAnsweredAndCloseTheConnection() throws Exception {
        assertClosesWith("*abc\r\n", "Protocol error: invalid multibulk length");
        assertClosesWith("*99999999999\r\n", "Protocol error: invalid multibulk length");
        assertClosesWith("*1\r\n$99999999999\r\n", "Protocol error: invalid bulk length");
        assertClosesWith("*1\r\n$-5\r\n", "Protocol error: invalid bulk length");
        assertClosesWith("*1\r\nxyz\r\n", "Protocol error: expected '$', got 'x'");
        assertClosesWith("SET k \"oops\r\n", "Protocol error: unbalanced quotes in request");
        assertClosesWith("A".repeat(70_000), "Protocol error: too big inline request");
    }

    @Test
    void commandsBeforeTheErrorStillRun() throws Exception {
        try (RawConnection raw = new RawConnection(node.port())) {
            raw.sendRaw("SET before ok\r\n*1\r\n$x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(raw.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(raw.readReply()).isEqualTo(new RespValue.Error("ERR Protocol error: invalid bulk length"));
        }
        try (RawConnection check = new RawConnection(node.port())) {
            assertThat(check.call("GET", "before")).isEqualTo(new RespValue.BulkString("ok".getBytes()));
        }
    }

    @Test
    void commandErrorsKeepTheConnection() throws Exception {
        try (RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("NOSUCH", "a")).isEqualTo(new RespValue.Error("ERR unknown command 'NOSUCH', with args beginning with: 'a' "));
            assertThat(raw.call("GET")).isEqualTo(new RespValue.Error("ERR wrong number of arguments for 'get' command"));
            raw.call("SET", "s", "v");
            assertThat(raw.call("INCR", "s")).isEqualTo(new RespValue.Error("ERR value is not an integer or out of range"));
            assertThat(raw.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @Test
    void randomGarbageNeverTakesTheNodeDown() throws Exception {
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(junk);
            try (RawConnection raw = new RawConnection(node.port())) {
                raw.sendRaw(junk);
                raw.sendRaw("\r\n".getBytes());
            } catch (java.io.IOException ignored) {
                // the node may close on us mid-write: that is an acceptable outcome
            }
        }
        try (RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @Test
    void droppedConnectionsMidRequestAreHarmless() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (RawConnection raw = new RawConnection(node.port())) {
                raw.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\npartial".getBytes());
            }
        }
        try (RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("EXISTS", "k")).isEqualTo(new RespValue.Integer(0));
        }
    }

    @Test
    void largeValuesAndDeepPipelinesRoundTrip() throws Exception {
        try (RawConnection raw = new RawConnection(node.port())) {
            byte[] big = new byte[8 * 1024 * 1024];
            new Random(1).nextBytes(big);
            raw.send(java.util.List.of("SET".getBytes(), "big".getBytes(), big));
            assertThat(raw.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            raw.send(java.util.List.of("GET".getBytes(), "big".getBytes()));
            assertThat(((RespValue.BulkString) raw.readReply()).value()).isEqualTo(big);
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                pipeline.append("INCR counter\r\n");
            }
            raw.sendRaw(pipeline.toString().getBytes());
            RespValue last = null;
            for (int i = 0; i < 10_000; i++) {
                last = raw.readReply();
            }
            assertThat(last).isEqualTo(new RespValue.Integer(10_000));
        }
    }
}
