package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a blocked client leaves its wait besides a plain push (Redis's list.tcl): a destination of the
 * wrong type, CLIENT UNBLOCK, SWAPDB, a key that expired inside the feeding transaction; and what a
 * served BRPOPLPUSH does to WATCH.
 */
class BlockingEdgesIT {
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start(c -> {
            try {
                c.load("enable-debug-command", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static CompletableFuture<RespValue> async(RawConnection c, String... cmd) throws Exception {
        c.send(Arrays.stream(cmd).map(String::getBytes).toList());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.readReply();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitBlocked(RawConnection observer, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String needle = "blocked_clients:" + count + "\r\n";
        while (true) {
            String text = new String(((RespValue.BulkString) observer.call("INFO", "clients")).value(), StandardCharsets.US_ASCII);
            if (text.contains(needle)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + count + " blocked clients; INFO says: " + text);
            }
            Thread.sleep(10);
        }
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String info(RawConnection c, String section) throws Exception {
        return new String(((RespValue.BulkString) c.call("INFO", section)).value(), StandardCharsets.US_ASCII);
    }

    private static long id(RawConnection c) throws Exception {
        return ((RespValue.Integer) c.call("CLIENT", "ID")).value();
    }

    @Test
    void aBlockedBrpoplpushWhoseDestinationIsNotAListGetsWrongtypeAndTheElementStays() throws Exception {
        try (RawConnection blocked = new RawConnection(node.port()); RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "blist", "target");
            r.call("SET", "target", "nolist");
            CompletableFuture<RespValue> reply = async(blocked, "BRPOPLPUSH", "blist", "target", "0");
            awaitBlocked(r, 1);
            r.call("RPUSH", "blist", "foo");
            assertThat(reply.get(10, TimeUnit.SECONDS))
                    .isEqualTo(new RespValue.Error("WRONGTYPE Operation against a key holding the wrong kind of value"));
            assertThat(r.call("LRANGE", "blist", "0", "-1")).isEqualTo(new RespValue.Array(List.of(bulk("foo"))));
            awaitBlocked(r, 0);
        }
    }

    @Test
    void clientUnblockEndsAWaitWithTheTimeoutReplyOrTheUnblockedError() throws Exception {
        try (RawConnection blocked = new RawConnection(node.port()); RawConnection r = new RawConnection(node.port())) {
            long id = id(blocked);
            r.call("DEL", "l");
            r.call("CONFIG", "RESETSTAT");
            CompletableFuture<RespValue> first = async(blocked, "BLPOP", "l", "0");
            awaitBlocked(r, 1);
            assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(new RespValue.Integer(1));
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(RespValue.Null.class);

            CompletableFuture<RespValue> second = async(blocked, "BLMPOP", "0", "1", "l", "RIGHT");
            awaitBlocked(r, 1);
            assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id), "TIMEOUT")).isEqualTo(new RespValue.Integer(1));
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(RespValue.Null.class);

            CompletableFuture<RespValue> third = async(blocked, "BLPOP", "l", "0");
            awaitBlocked(r, 1);
            assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR")).isEqualTo(new RespValue.Integer(1));
            assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
            assertThat(info(r, "errorstats")).contains("errorstat_UNBLOCKED:count=1");
            assertThat(info(r, "commandstats")).containsPattern("cmdstat_blpop:calls=2,.*,failed_calls=1");

            assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id))).as("not blocked").isEqualTo(new RespValue.Integer(0));
            assertThat(r.call("CLIENT", "UNBLOCK", "asd")).isEqualTo(new RespValue.Error("ERR value is not an integer or out of range"));
            assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id), "LATER"))
                    .isEqualTo(new RespValue.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
            assertThat(blocked.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @Test
    void swapdbWakesAClientBlockedInTheOtherDatabase() throws Exception {
        try (RawConnection blocked = new RawConnection(node.port()); RawConnection r = new RawConnection(node.port())) {
            r.call("SELECT", "1");
            r.call("DEL", "k");
            r.call("RPUSH", "k", "hello");
            blocked.call("SELECT", "9");
            blocked.call("DEL", "k");
            CompletableFuture<RespValue> reply = async(blocked, "BRPOP", "k", "0");
            awaitBlocked(r, 1);
            r.call("SWAPDB", "1", "9");
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.Array(List.of(bulk("k"), bulk("hello"))));
        }
    }

    @Test
    void aKeyThatExpiredInsideTheFeedingTransactionLeavesTheClientBlocked() throws Exception {
        try (RawConnection blocked = new RawConnection(node.port()); RawConnection r = new RawConnection(node.port())) {
            long id = id(blocked);
            r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                r.call("DEL", "k");
                CompletableFuture<RespValue> reply = async(blocked, "BRPOP", "k", "0");
                awaitBlocked(r, 1);
                r.call("MULTI");
                r.call("RPUSH", "k", "hello");
                r.call("PEXPIRE", "k", "100");
                r.call("DEBUG", "SLEEP", "0.2");
                r.call("EXEC");
                RespValue list = r.call("CLIENT", "LIST", "ID", Long.toString(id));
                assertThat(new String(((RespValue.BulkString) list).value(), StandardCharsets.US_ASCII)).contains("flags=b");
                assertThat(r.call("CLIENT", "UNBLOCK", Long.toString(id))).isEqualTo(new RespValue.Integer(1));
                assertThat(reply.get(10, TimeUnit.SECONDS)).isInstanceOf(RespValue.Null.class);
            } finally {
                r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void aServedBrpoplpushFiresWatchesOnItsDestination() throws Exception {
        try (RawConnection blocked = new RawConnection(node.port()); RawConnection watching = new RawConnection(node.port());
             RawConnection r = new RawConnection(node.port())) {
            r.call("DEL", "srclist", "dstlist");
            r.call("SET", "somekey", "somevalue");
            CompletableFuture<RespValue> reply = async(blocked, "BRPOPLPUSH", "srclist", "dstlist", "0");
            awaitBlocked(r, 1);
            watching.call("WATCH", "dstlist");
            watching.call("MULTI");
            watching.call("GET", "somekey");
            r.call("LPUSH", "srclist", "element");
            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(bulk("element"));
            assertThat(watching.call("EXEC")).isInstanceOf(RespValue.Null.class);
        }
    }

    @Test
    void multiPopCommandsNameNumkeysInTheirErrors() throws Exception {
        try (RawConnection r = new RawConnection(node.port())) {
            RespValue numkeys = new RespValue.Error("ERR numkeys should be greater than 0");
            assertThat(r.call("LMPOP", "a", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(r.call("LMPOP", "0", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(r.call("BLMPOP", "0", "-1", "l", "LEFT")).isEqualTo(numkeys);
            assertThat(r.call("ZMPOP", "a", "z", "MIN")).isEqualTo(numkeys);
            assertThat(r.call("BZMPOP", "0", "a", "z", "MIN")).isEqualTo(numkeys);
            assertThat(r.call("SINTERCARD", "a", "s")).isEqualTo(numkeys);
        }
    }
}
