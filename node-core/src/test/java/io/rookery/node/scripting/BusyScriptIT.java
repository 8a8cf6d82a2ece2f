package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A script that runs past busy-reply-threshold does not stall the node: other clients are told
 * BUSY, SCRIPT KILL ends a script that has not written, a script that wrote is UNKILLABLE, and
 * SHUTDOWN NOSAVE stops the node anyway.
 */
class BusyScriptIT {

    /** Sends the looping script on its own connection; completes with its reply. */
    private static CompletableFuture<RespValue> loopForever(int port, String script) {
        return CompletableFuture.supplyAsync(() -> {
            try (RawConnection c = new RawConnection(port)) {
                return c.call("EVAL", script, "0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Polls until the node answers BUSY (each poll is answered at once: the node is not blocked). */
    private static RespValue awaitBusy(RawConnection other) throws Exception {
        RespValue reply = null;
        for (int i = 0; i < 600; i++) {
            reply = other.call("GET", "k");
            if (reply instanceof RespValue.Error e && e.message().startsWith("BUSY")) {
                return reply;
            }
            Thread.sleep(50);
        }
        return reply;
    }

    @Test
    void aStraightLineScriptIsToldBusyTooAndRunsOnceTheLoopIsKilled() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection other = new RawConnection(node.port())) {
            String straight = "return redis.call('INCR', KEYS[1])"; // bounded: runs on the command thread
            RespValue sha = other.call("SCRIPT", "LOAD", straight);
            assertThat(other.call("EVAL", straight, "1", "n")).isEqualTo(new RespValue.Integer(1));
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            CompletableFuture<RespValue> looping = loopForever(node.port(), "while true do end");
            assertThat(awaitBusy(other)).isInstanceOf(RespValue.Error.class);
            assertThat(other.call("EVALSHA", new String(((RespValue.BulkString) sha).value(), java.nio.charset.StandardCharsets.US_ASCII), "1", "n")).isEqualTo(new RespValue.Error(
                    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(looping.get(30, TimeUnit.SECONDS)).isInstanceOf(RespValue.Error.class);
            assertThat(other.call("EVALSHA", new String(((RespValue.BulkString) sha).value(), java.nio.charset.StandardCharsets.US_ASCII), "1", "n")).isEqualTo(new RespValue.Integer(2));
        }
    }

    @Test
    void otherClientsGetBusyAndScriptKillStopsTheScript() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection other = new RawConnection(node.port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            CompletableFuture<RespValue> looping = loopForever(node.port(), "while true do end");
            assertThat(awaitBusy(other)).isEqualTo(new RespValue.Error(
                    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
            assertThat(other.call("FUNCTION", "KILL")).isEqualTo(new RespValue.Error(
                    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.SimpleString("OK"));
            RespValue reply = looping.get(30, TimeUnit.SECONDS);
            assertThat(reply).isInstanceOf(RespValue.Error.class);
            assertThat(((RespValue.Error) reply).message()).startsWith("ERR Script killed by user with SCRIPT KILL...");
            assertThat(other.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(other.call("SCRIPT", "KILL")).isEqualTo(new RespValue.Error("NOTBUSY No scripts in execution right now."));
        }
    }

    @Test
    void aScriptThatWroteIsUnkillableButShutdownNosaveStopsTheNode() throws Exception {
        TestNode node = TestNode.start();
        try (RawConnection other = new RawConnection(node.port())) {
            other.call("CONFIG", "SET", "busy-reply-threshold", "100");
            CompletableFuture<RespValue> looping = loopForever(node.port(), "redis.call('set', 'k', 'v') while true do end");
            awaitBusy(other);
            RespValue kill = other.call("SCRIPT", "KILL");
            assertThat(kill).isInstanceOf(RespValue.Error.class);
            assertThat(((RespValue.Error) kill).message()).startsWith("UNKILLABLE Sorry the script already executed write commands");
            other.send(List.of("SHUTDOWN".getBytes(), "NOSAVE".getBytes()));
            looping.handle((r, e) -> null).get(30, TimeUnit.SECONDS); // the connection closes as the node stops
            for (int i = 0; i < 600 && node.node().running(); i++) {
                Thread.sleep(50);
            }
            assertThat(node.node().running()).as("node running after SHUTDOWN NOSAVE").isFalse();
        } finally {
            node.close();
        }
    }
}
