package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blocking list and sorted-set commands with several clients on real sockets. */
class BlockingIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static CompletableFuture<RespValue> async(RawConnection c, String... cmd) throws Exception {
        c.send(java.util.Arrays.stream(cmd).map(String::getBytes).toList());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.readReply();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Waits until {@code count} clients are blocked, as INFO reports it: a request written to a socket
     * has not necessarily reached the node, so arrival order is only known once the node counts it.
     */
    private static void awaitBlocked(RawConnection observer, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String needle = "blocked_clients:" + count + "\r\n";
        while (true) {
            RespValue info = observer.call("INFO", "clients");
            String text = new String(((RespValue.BulkString) info).value(), java.nio.charset.StandardCharsets.US_ASCII);
            if (text.contains(needle)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + count + " blocked clients; INFO says: " + text);
            }
            Thread.sleep(10);
        }
    }

    private static RespValue arr(String... items) {
        return new RespValue.Array(java.util.Arrays.stream(items).map(s -> (RespValue) new RespValue.BulkString(s.getBytes())).toList());
    }

    @Test
    void waitingClientsAreServedInArrivalOrder() throws Exception {
        try (RawConnection first = new RawConnection(node.port());
             RawConnection second = new RawConnection(node.port());
             RawConnection pusher = new RawConnection(node.port())) {
            pusher.call("DEL", "q1");
            CompletableFuture<RespValue> a = async(first, "BLPOP", "q1", "0");
            awaitBlocked(pusher, 1);
            CompletableFuture<RespValue> b = async(second, "BLPOP", "q1", "0");
            awaitBlocked(pusher, 2);
            assertThat(pusher.call("RPUSH", "q1", "x", "y")).isEqualTo(new RespValue.Integer(2));
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(arr("q1", "x"));
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(arr("q1", "y"));
            assertThat(pusher.call("EXISTS", "q1")).isEqualTo(new RespValue.Integer(0));
            assertThat(first.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @Test
    void fractionalTimeoutsReplyNull() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            long start = System.nanoTime();
            assertThat(c.call("BRPOP", "nothing", "0.2")).isInstanceOf(RespValue.Null.class);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(150L, 2000L);
            assertThat(c.call("BZPOPMIN", "nothing", "0.1")).isInstanceOf(RespValue.Null.class);
            assertThat(c.call("BLMOVE", "nothing", "x", "LEFT", "RIGHT", "0.1")).isInstanceOf(RespValue.Null.class);
        }
    }

    @Test
    void pushesInsideMultiWakeWaitersOnlyAtExec() throws Exception {
        try (RawConnection waiter = new RawConnection(node.port()); RawConnection tx = new RawConnection(node.port())) {
            tx.call("DEL", "q2");
            CompletableFuture<RespValue> w = async(waiter, "BLPOP", "q2", "0");
            awaitBlocked(tx, 1);
            tx.call("MULTI");
            tx.call("RPUSH", "q2", "a");
            tx.call("RPUSH", "q2", "b");
            Thread.sleep(100);
            assertThat(w).isNotDone();
            RespValue exec = tx.call("EXEC");
            assertThat(exec).isEqualTo(new RespValue.Array(List.of(new RespValue.Integer(1), new RespValue.Integer(2))));
            assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(arr("q2", "a"));
            assertThat(tx.call("LRANGE", "q2", "0", "-1")).isEqualTo(arr("b"));
        }
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("DEL", "empty");
            c.call("MULTI");
            c.call("BLPOP", "empty", "0");
            c.call("BZPOPMAX", "empty", "0");
            RespValue exec = c.call("EXEC");
            assertThat(((RespValue.Array) exec).elements()).allMatch(v -> v instanceof RespValue.Null);
        }
    }

    @Test
    void aClientThatDisconnectsWhileBlockedIsForgotten() throws Exception {
        try (RawConnection pusher = new RawConnection(node.port()); RawConnection survivor = new RawConnection(node.port())) {
            pusher.call("DEL", "q3");
            RawConnection leaver = new RawConnection(node.port());
            leaver.send(List.of("BLPOP".getBytes(), "q3".getBytes(), "0".getBytes()));
            awaitBlocked(pusher, 1);
            CompletableFuture<RespValue> s = async(survivor, "BLPOP", "q3", "0");
            awaitBlocked(pusher, 2);
            leaver.close();
            awaitBlocked(pusher, 1);
            pusher.call("RPUSH", "q3", "only");
            assertThat(s.get(10, TimeUnit.SECONDS)).isEqualTo(arr("q3", "only"));
            assertThat(pusher.call("LLEN", "q3")).isEqualTo(new RespValue.Integer(0));
            assertThat(node.node().parts().blocking().blockedCount()).isZero();
        }
    }

    @Test
    void blmoveAndBzpopminWakeOnTheirKeys() throws Exception {
        try (RawConnection a = new RawConnection(node.port()); RawConnection b = new RawConnection(node.port());
             RawConnection writer = new RawConnection(node.port())) {
            writer.call("DEL", "src", "dst", "z");
            CompletableFuture<RespValue> move = async(a, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "5");
            CompletableFuture<RespValue> zpop = async(b, "BZPOPMIN", "z", "5");
            awaitBlocked(writer, 2);
            writer.call("LPUSH", "src", "v");
            writer.call("ZADD", "z", "2", "m");
            assertThat(move.get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.BulkString("v".getBytes()));
            assertThat(zpop.get(10, TimeUnit.SECONDS)).isEqualTo(arr("z", "m", "2"));
            assertThat(writer.call("LRANGE", "dst", "0", "-1")).isEqualTo(arr("v"));
        }
    }
}
