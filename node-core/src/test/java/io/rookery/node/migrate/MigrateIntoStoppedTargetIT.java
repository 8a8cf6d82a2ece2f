package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIGRATE ... KEYS in batches of 4, back to back, into a target with the AOF on that is stopped (Rookery's
 * stop, real Redis's SIGTERM) in the middle and then started again from its directory: every key is on
 * the source or on the target, none lost — the batch in flight at the stop either reached the target's
 * AOF before the target acknowledged it, or stayed on the source. A Rookery target used to serve
 * MIGRATE's retry connection after its AOF was closed, and acknowledged a batch it lost on restart.
 */
class MigrateIntoStoppedTargetIT {
    private static final int KEYS = 4_000;

    private interface Target extends AutoCloseable {
        int port();

        /** Stops it gracefully and starts it again on its port and directory. */
        Target restarted() throws Exception;

        @Override
        void close();
    }

    private static List<String> lost(int sourcePort, Target target) throws Exception {
        try (RawConnection from = new RawConnection(sourcePort)) {
            List<String> mset = new ArrayList<>(List.of("MSET"));
            for (int i = 0; i < KEYS; i++) {
                mset.add("k" + i);
                mset.add("v" + i);
            }
            assertThat(from.call(mset.toArray(String[]::new))).isEqualTo(new RespValue.SimpleString("OK"));
        }
        AtomicInteger batches = new AtomicInteger();
        int port = target.port();
        Thread mover = new Thread(() -> {
            try (RawConnection from = new RawConnection(sourcePort)) {
                for (int i = 0; i + 4 <= KEYS; i += 4) {
                    from.call("MIGRATE", "127.0.0.1", Integer.toString(port), "", "0", "2000", "KEYS",
                            "k" + i, "k" + (i + 1), "k" + (i + 2), "k" + (i + 3));
                    batches.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "mover");
        mover.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (batches.get() < 50 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1);
        }
        assertThat(batches.get()).as("batches moved before the stop").isGreaterThanOrEqualTo(50);
        int beforeStop = batches.get();
        try (Target back = target.restarted()) {
            mover.join(120_000);
            assertThat(mover.isAlive()).as("the mover ended").isFalse();
            List<String> lost = new ArrayList<>();
            try (RawConnection from = new RawConnection(sourcePort); RawConnection to = new RawConnection(back.port())) {
                for (int i = 0; i < KEYS; i++) {
                    String k = "k" + i;
                    if (from.call("EXISTS", k).equals(new RespValue.Integer(0)) && to.call("EXISTS", k).equals(new RespValue.Integer(0))) {
                        lost.add(k);
                    }
                }
            }
            System.out.printf("%d batches moved before the stop; lost: %s%n", beforeStop, lost);
            return lost;
        }
    }

    private static final class RookeryTarget implements Target {
        private final Path dir;
        private final TestNode node;

        RookeryTarget(Path dir, int port) {
            this.dir = dir;
            this.node = TestNode.start(c -> {
                try {
                    c.load("port", Integer.toString(port));
                    c.load("dir", dir.toString());
                    c.load("appendonly", "yes");
                } catch (ConfigException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public int port() {
            return node.port();
        }

        @Override
        public Target restarted() {
            node.close();
            return new RookeryTarget(dir, node.port());
        }

        @Override
        public void close() {
            node.close();
        }
    }

    private record RedisTarget(RealRedis redis) implements Target {
        @Override
        public int port() {
            return redis.port();
        }

        @Override
        public Target restarted() {
            redis.close();
            return new RedisTarget(redis.restart());
        }

        @Override
        public void close() {
            redis.close();
        }
    }

    @Test
    void aRookeryTargetStoppedMidMoveLosesNoKey(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 3; round++) {
            try (TestNode source = TestNode.start(); Target target = new RookeryTarget(java.nio.file.Files.createDirectories(dir.resolve("r" + round)), 0)) {
                assertThat(lost(source.port(), target)).as("round " + round).isEmpty();
            }
        }
    }

    @Test
    void aRealRedisTargetSigtermedMidMoveLosesNoKey() throws Exception {
        try (RealRedis source = RealRedis.start(); Target target = new RedisTarget(RealRedis.start("--appendonly", "yes"))) {
            assertThat(lost(source.port(), target)).isEmpty();
        }
    }
}
