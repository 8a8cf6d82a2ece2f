package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * While MIGRATE waits for its target the node serves its other clients, and the keys in flight stay
 * atomic: a command on such a key waits until MIGRATE ended, then runs on what MIGRATE left (nothing
 * when the key moved, the key when it did not), so no write is lost or applied to a value already
 * sent. The target here is a socket the test answers for, so every step is observed, not timed.
 */
class MigrateWhileServingIT {
    private static final RespValue OK = new RespValue.SimpleString("OK");

    @Test
    void otherClientsAreServedAndAWriteToTheMovingKeyRunsAfterTheKeyLeft() throws Exception {
        try (TestNode source = TestNode.start(); HeldTarget target = new HeldTarget();
             RawConnection mover = new RawConnection(source.port()); RawConnection writer = new RawConnection(source.port());
             RawConnection other = new RawConnection(source.port())) {
            other.call("SET", "k", "old-value");
            other.call("SET", "unrelated", "u");
            mover.send(args("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "k", "0", "10000"));
            await(() -> target.received().contains("old-value"));

            assertThat(other.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(other.call("GET", "unrelated")).isEqualTo(bulk("u"));
            writer.send(args("APPEND", "k", "-more"));
            await(() -> waitingClients(other) == 2); // the mover and the writer

            target.answer("+OK\r\n+OK\r\n"); // SELECT, RESTORE
            assertThat(mover.readReply()).isEqualTo(OK);
            assertThat(writer.readReply()).isEqualTo(new RespValue.Integer(5)); // the key had left: a new one
            assertThat(other.call("GET", "k")).isEqualTo(bulk("-more"));
            assertThat(target.received()).contains("RESTORE").doesNotContain("-more");
        }
    }

    @Test
    void whenTheTargetRefusesTheKeyStaysAndTheWaitingWriteAppliesToIt() throws Exception {
        try (TestNode source = TestNode.start(); HeldTarget target = new HeldTarget();
             RawConnection mover = new RawConnection(source.port()); RawConnection writer = new RawConnection(source.port());
             RawConnection other = new RawConnection(source.port())) {
            other.call("SET", "k", "old-value");
            mover.send(args("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "10000", "KEYS", "k"));
            await(() -> target.received().contains("old-value"));
            writer.send(args("APPEND", "k", "-more"));
            await(() -> waitingClients(other) == 2);

            target.answer("+OK\r\n-BUSYKEY Target key name already exists.\r\n");
            assertThat(mover.readReply())
                    .isEqualTo(new RespValue.Error("ERR Target instance replied with error: BUSYKEY Target key name already exists."));
            assertThat(writer.readReply()).isEqualTo(new RespValue.Integer(14));
            assertThat(other.call("GET", "k")).isEqualTo(bulk("old-value-more"));
        }
    }

    @Test
    void execAndFlushallWaitForTheKeysInFlightAndRunAfterMigrateEnded() throws Exception {
        try (TestNode source = TestNode.start(); HeldTarget target = new HeldTarget();
             RawConnection mover = new RawConnection(source.port()); RawConnection tx = new RawConnection(source.port());
             RawConnection flusher = new RawConnection(source.port()); RawConnection other = new RawConnection(source.port())) {
            other.call("SET", "k", "old-value");
            mover.send(args("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "k", "0", "10000", "COPY"));
            await(() -> target.received().contains("old-value"));
            assertThat(tx.call("MULTI")).isEqualTo(OK);
            assertThat(tx.call("APPEND", "k", "-tx")).isEqualTo(new RespValue.SimpleString("QUEUED"));
            tx.send(args("EXEC"));
            flusher.send(args("FLUSHALL"));
            await(() -> waitingClients(other) == 3); // the mover, EXEC and FLUSHALL

            target.answer("+OK\r\n+OK\r\n");
            assertThat(mover.readReply()).isEqualTo(OK);
            assertThat(tx.readReply()).isEqualTo(new RespValue.Array(List.of(new RespValue.Integer(12)))); // COPY kept the key
            assertThat(flusher.readReply()).isEqualTo(OK);
            assertThat(other.call("DBSIZE")).isEqualTo(new RespValue.Integer(0));
        }
    }

    @Test
    void aSilentTargetTimesOutAndTheKeyIsKept() throws Exception {
        try (TestNode source = TestNode.start(); HeldTarget target = new HeldTarget();
             RawConnection mover = new RawConnection(source.port()); RawConnection other = new RawConnection(source.port())) {
            other.call("SET", "k", "old-value");
            assertThat(mover.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "k", "0", "300"))
                    .isEqualTo(new RespValue.Error("IOERR error or timeout reading to target instance"));
            assertThat(other.call("GET", "k")).isEqualTo(bulk("old-value"));
            assertThat(other.call("APPEND", "k", "!")).isEqualTo(new RespValue.Integer(10));
        }
    }

    @Test
    void migrateInsideExecWaitsForTheTargetAndMovesTheKey() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection to = new RawConnection(target.port())) {
            from.call("HSET", "h", "f", "v");
            from.call("MULTI");
            from.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "h", "0", "5000");
            from.call("EXISTS", "h");
            assertThat(from.call("EXEC")).isEqualTo(new RespValue.Array(List.of(OK, new RespValue.Integer(0))));
            assertThat(to.call("HGET", "h", "f")).isEqualTo(bulk("v"));
            String stats = ((RespValue.BulkString) from.call("INFO", "commandstats")).text();
            assertThat(stats).contains("cmdstat_migrate:calls=1,");
        }
    }

    @Test
    void aMigrateThatWaitedIsCountedOnce() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port())) {
            from.call("SET", "a", "1");
            assertThat(from.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "a", "0", "5000")).isEqualTo(OK);
            assertThat(((RespValue.BulkString) from.call("INFO", "commandstats")).text()).contains("cmdstat_migrate:calls=1,");
        }
    }

    /** Clients that wait: blocked (the mover) or postponed (a command on a held key); CLIENT LIST flag b. */
    private static long waitingClients(RawConnection c) throws IOException {
        String list = ((RespValue.BulkString) c.call("CLIENT", "LIST")).text();
        return list.lines().filter(l -> l.matches(".* flags=\\w*b\\w* .*")).count();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static List<byte[]> args(String... a) {
        return List.of(a).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(StandardCharsets.UTF_8));
    }
}
