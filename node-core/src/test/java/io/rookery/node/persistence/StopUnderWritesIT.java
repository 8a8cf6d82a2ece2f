package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with the AOF on, stopped (Rookery's stop, real Redis's SIGTERM) while clients write — some on
 * one connection each, some on a new connection per write, as MIGRATE's retry after a lost cached
 * connection does — then started again from its directory: every write it acknowledged is there. A
 * stop that closed the AOF and then went on serving (a connection accepted, or input read, after the
 * AOF's last flush) acknowledged writes that the restarted node had lost: a slot move whose target was
 * stopped mid-batch lost the batch that way (the source deletes what the target acknowledged).
 */
class StopUnderWritesIT {
    private static final int WRITERS = 6;

    /** Writes keys named {@code prefix...} until the server goes (stopped by {@code stop}); returns those it acknowledged. */
    private static Set<String> writeWhileStopping(int port, String prefix, Runnable stop) throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            boolean freshEachTime = w % 2 == 1;
            int writer = w;
            Thread t = new Thread(() -> {
                RawConnection kept = null;
                try {
                    for (long i = 0; ; i++) {
                        String key = prefix + "w" + writer + ":" + i;
                        RawConnection c = kept;
                        if (c == null) {
                            c = new RawConnection(port);
                        }
                        try {
                            RespValue r = c.call("SET", key, "v" + i);
                            if (!(r instanceof RespValue.SimpleString)) {
                                return;
                            }
                            acked.add(key);
                        } finally {
                            if (freshEachTime) {
                                c.close();
                            } else {
                                kept = c;
                            }
                        }
                    }
                } catch (IOException gone) {
                    // the server went away: the point of the test
                } finally {
                    if (kept != null) {
                        try {
                            kept.close();
                        } catch (IOException ignored) {
                            // closing a dead connection
                        }
                    }
                }
            }, "stop-writer-" + w);
            writers.add(t);
            t.start();
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (acked.size() < 500 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(acked.size()).as("writes acknowledged before the stop").isGreaterThanOrEqualTo(500);
        stop.run();
        for (Thread t : writers) {
            t.join(30_000);
            assertThat(t.isAlive()).as(t.getName() + " ended once the server was gone").isFalse();
        }
        return acked;
    }

    private static List<String> missing(int port, Set<String> acked) throws IOException {
        List<String> missing = new ArrayList<>();
        try (RawConnection c = new RawConnection(port)) {
            for (String key : acked) {
                if (!c.call("EXISTS", key).equals(new RespValue.Integer(1))) {
                    missing.add(key);
                }
            }
        }
        return missing;
    }

    private static TestNode rookery(Path dir, int port) {
        return TestNode.start(c -> {
            try {
                c.load("port", Integer.toString(port));
                c.load("dir", dir.toString());
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void rookeryStoppedUnderWritesKeepsEveryAcknowledgedWrite(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 3; round++) {
            TestNode node = rookery(dir, 0);
            int port = node.port();
            Set<String> acked = writeWhileStopping(port, "round" + round + ":", node::close);
            try (TestNode again = rookery(dir, port)) {
                assertThat(missing(again.port(), acked)).as("round " + round + ": acknowledged writes missing after"
                        + " the restart, of " + acked.size()).isEmpty();
            }
        }
    }

    @Test
    void redisSigtermedUnderWritesKeepsEveryAcknowledgedWrite() throws Exception {
        RealRedis redis = RealRedis.start("--appendonly", "yes");
        for (int round = 0; round < 3; round++) {
            RealRedis r = redis;
            Set<String> acked = writeWhileStopping(r.port(), "round" + round + ":", r::close);
            redis = r.restart();
            assertThat(missing(redis.port(), acked)).as("round " + round + ": acknowledged writes missing after"
                    + " the restart, of " + acked.size()).isEmpty();
        }
        redis.close();
    }
}
