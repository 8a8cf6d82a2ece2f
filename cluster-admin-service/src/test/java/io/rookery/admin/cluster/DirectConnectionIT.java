package io.rookery.admin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rookery.node.support.RealRedis;
import io.rookery.protocol.RespValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The slot mover's blocking connections ({@link NodeConnector#openDirect}) against a real redis-server:
 * pipelined replies come back in order to their callers, error replies throw with the node's text, a
 * node that stops answering times out, one that went away says it is unreachable, and several threads
 * may share one connection.
 */
class DirectConnectionIT {

    @Test
    void pipelinedRepliesComeBackInOrderAndErrorsCarryTheNodesText() {
        try (RealRedis redis = RealRedis.start(); NodeConnector connector = new NodeConnector(Duration.ofSeconds(5));
             NodeConnection c = connector.openDirect(new NodeAddress("127.0.0.1", redis.port()), Credentials.NONE)) {
            NodeConnection.Reply set = c.send("SET", "k", "v".repeat(100_000));
            NodeConnection.Reply get = c.send("STRLEN", "k");
            NodeConnection.Reply wrong = c.send("LPUSH", "k", "x");
            NodeConnection.Reply after = c.send("ECHO", "after");
            assertEquals("after", RespValues.text(after.await()), "a later reply read first completes the earlier ones");
            assertEquals("OK", RespValues.text(set.await()));
            assertEquals(100_000, RespValues.integer(get.await()));
            NodeCommandException e = assertThrows(NodeCommandException.class, wrong::await);
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.reply());
            List<RespValue> all = c.callAll(List.of(new String[]{"PING"}, new String[]{"NOSUCH"}, new String[]{"DBSIZE"}));
            assertEquals("PONG", RespValues.text(all.get(0)));
            assertTrue(all.get(1) instanceof RespValue.Error err && err.message().startsWith("ERR unknown command"));
            assertEquals(1, RespValues.integer(all.get(2)));
        }
    }

    @Test
    void aNodeThatStopsAnsweringTimesOutAndOneThatIsGoneIsUnreachable() {
        try (NodeConnector connector = new NodeConnector(Duration.ofMillis(500))) {
            RealRedis redis = RealRedis.start();
            NodeAddress address = new NodeAddress("127.0.0.1", redis.port());
            NodeConnection c = connector.openDirect(address, Credentials.NONE);
            redis.suspend();
            NodeCommandException slow = assertThrows(NodeCommandException.class, () -> c.call("PING"));
            assertNull(slow.reply());
            assertTrue(slow.getMessage().contains("did not answer PING within 500 ms"), slow.getMessage());
            assertFalse(c.isOpen(), "a timed-out connection is closed: its replies would be out of step");
            redis.resume();
            NodeConnection again = connector.openDirect(address, Credentials.NONE);
            assertEquals("PONG", RespValues.text(again.call("PING")));
            redis.kill();
            NodeCommandException gone = assertThrows(NodeCommandException.class, () -> again.call("PING"));
            assertNull(gone.reply());
            assertTrue(gone.getMessage().contains("is unreachable"), gone.getMessage());
            NodeCommandException refused = assertThrows(NodeCommandException.class,
                    () -> connector.openDirect(address, Credentials.NONE).call("PING"));
            assertTrue(refused.getMessage().contains("is unreachable"), refused.getMessage());
        }
    }

    @Test
    void threadsSharingAConnectionEachGetTheirOwnReplies() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (RealRedis redis = RealRedis.start(); NodeConnector connector = new NodeConnector(Duration.ofSeconds(10));
             NodeConnection c = connector.openDirect(new NodeAddress("127.0.0.1", redis.port()), Credentials.NONE)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String word = thread + ":" + i;
                        assertEquals(word, RespValues.text(c.call("ECHO", word)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
