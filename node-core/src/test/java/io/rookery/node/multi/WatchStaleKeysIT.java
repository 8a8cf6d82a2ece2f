package io.rookery.node.multi;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WATCH as Redis 7.0 treats keys that were already expired when watched (a deleted stale key is no
 * change), flushes and SWAPDB, and EXEC refused by the state gate because of what it queued.
 */
class WatchStaleKeysIT {
    private static final RespValue PONG_ONLY = new RespValue.Array(List.of(new RespValue.SimpleString("PONG")));
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

    /** SET key foo PX 1 with active expiry off, then waits until the key is past its time. */
    private static void staleKey(RawConnection c, String key) throws Exception {
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        c.call("SET", key, "foo", "PX", "1");
        Thread.sleep(5);
    }

    private static RespValue pingTransaction(RawConnection c) throws Exception {
        c.call("MULTI");
        c.call("PING");
        return c.call("EXEC");
    }

    @Test
    void aStaleWatchedKeyDeletedByALookupDoesNotFailExec() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("FLUSHALL");
            staleKey(c, "x");
            c.call("WATCH", "x");
            assertThat(c.call("EXISTS", "x")).isEqualTo(new RespValue.Integer(0));
            assertThat(pingTransaction(c)).isEqualTo(PONG_ONLY);
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void flushdbWithAStaleWatchedKeyDoesNotFailExec() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("FLUSHALL");
            staleKey(c, "x");
            c.call("WATCH", "x");
            c.call("FLUSHDB");
            assertThat(pingTransaction(c)).isEqualTo(PONG_ONLY);
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void flushallDoesNotTouchAWatchedKeyThatDoesNotExist() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "other", "1");
            c.call("DEL", "x");
            c.call("WATCH", "x");
            c.call("FLUSHALL");
            assertThat(pingTransaction(c)).isEqualTo(PONG_ONLY);
            c.call("SET", "x", "1");
            c.call("WATCH", "x");
            c.call("FLUSHALL");
            assertThat(pingTransaction(c)).as("an existing watched key was flushed").isInstanceOf(RespValue.Null.class);
        }
    }

    @Test
    void swapdbOfAStaleKeyWithNothingOrAnotherStaleKeyDoesNotFailExecButALiveKeyDoes() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("FLUSHALL");
            c.call("SELECT", "1");
            staleKey(c, "x");
            c.call("WATCH", "x");
            c.call("SWAPDB", "0", "1");
            assertThat(pingTransaction(c)).as("stale key replaced with no key").isEqualTo(PONG_ONLY);

            c.call("FLUSHALL");
            c.call("SELECT", "0");
            staleKey(c, "x");
            c.call("SELECT", "1");
            staleKey(c, "x");
            c.call("WATCH", "x");
            c.call("SWAPDB", "0", "1");
            assertThat(pingTransaction(c)).as("stale key replaced with a stale key").isEqualTo(PONG_ONLY);

            c.call("FLUSHALL");
            c.call("SELECT", "0");
            c.call("SET", "x", "live");
            c.call("SELECT", "1");
            c.call("WATCH", "x");
            c.call("SWAPDB", "0", "1");
            assertThat(pingTransaction(c)).as("missing key replaced with a live key").isInstanceOf(RespValue.Null.class);
            c.call("SELECT", "0");
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void execOfQueuedWritesIsAbortedWhenMinReplicasToWriteIsNotMet() throws Exception {
        try (RawConnection c = new RawConnection(node.port()); RawConnection admin = new RawConnection(node.port())) {
            c.call("SET", "xx", "1");
            c.call("MULTI");
            c.call("INCR", "xx");
            admin.call("CONFIG", "SET", "min-replicas-to-write", "2");
            try {
                assertThat(c.call("EXEC")).isEqualTo(new RespValue.Error(
                        "EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to write."));
                assertThat(c.call("GET", "xx")).isEqualTo(new RespValue.BulkString("1".getBytes()));
                c.call("MULTI");
                c.call("GET", "xx");
                assertThat(c.call("EXEC")).as("a read-only transaction still runs")
                        .isEqualTo(new RespValue.Array(List.of(new RespValue.BulkString("1".getBytes()))));
            } finally {
                admin.call("CONFIG", "SET", "min-replicas-to-write", "0");
            }
        }
    }
}
