package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MIGRATE source with the AOF on is stopped (Rookery's stop, real Redis's SIGTERM) while the target
 * has not yet answered the batch; then the target acknowledges every key. Real redis-server finishes
 * the MIGRATE first (it is one blocking command; the signal is handled after it): the keys are deleted
 * and the DELs reach the AOF before it exits, so after a restart the keys are on the target only. A
 * Rookery source used to close the caller and the AOF while MIGRATE waited off the command thread; the
 * deletions came after the AOF's last write and the keys were back on the source after a restart, on
 * both sides of the move.
 */
class MigrateSourceStoppedIT {

    private interface Source extends AutoCloseable {
        int port();

        /** Stops it gracefully (returns when it has stopped). */
        void stop();

        /** Starts it again on its port and directory. */
        Source restarted();

        @Override
        void close();
    }

    @Test
    void aRookerySourceStoppedMidMigrateFinishesItFirst(@TempDir Path dir) throws Exception {
        assertNoKeyOnBothSides(new RookerySource(dir, 0, "yes"), false);
    }

    @Test
    void aRealRedisSourceSigtermedMidMigrateFinishesItFirst() throws Exception {
        assertNoKeyOnBothSides(new RedisSource(RealRedis.start("--appendonly", "yes")), false);
    }

    /** RDB only: SHUTDOWN's save must come after the MIGRATE's deletions. */
    @Test
    void aRookerySourceRunsShutdownAfterTheMigrate(@TempDir Path dir) throws Exception {
        assertNoKeyOnBothSides(new RookerySource(dir, 0, "no"), true);
    }

    @Test
    void aRealRedisSourceRunsShutdownAfterTheMigrate() throws Exception {
        assertNoKeyOnBothSides(new RedisSource(RealRedis.start("--save", "3600 1")), true);
    }

    /**
     * SHUTDOWN from another client; returns when the server stopped listening (then it has saved,
     * and the test's own stop that follows finds it stopped).
     */
    private static void shutdownCommand(int port) {
        try (RawConnection c = new RawConnection(port)) {
            c.send(args("SHUTDOWN"));
            while (!c.isClosedByPeer()) {
                Thread.sleep(10);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (listening(port)) {
                assertThat(System.nanoTime()).as("the source stopped listening after SHUTDOWN").isLessThan(deadline);
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket ignored = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    /**
     * {@code viaShutdown}: SHUTDOWN from another client instead of a stop (Redis runs it after the
     * MIGRATE; Rookery's gate holds it until the MIGRATE's keys are released).
     */
    private static void assertNoKeyOnBothSides(Source source, boolean viaShutdown) throws Exception {
        try (Source s = source; HeldTarget target = new HeldTarget(); RawConnection c = new RawConnection(s.port())) {
            c.call("MSET", "k1", "v1", "k2", "v2", "k3", "v3");
            c.send(args("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "0", "20000",
                    "KEYS", "k1", "k2", "k3"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (MigrateTargetGoneMidBatchIT.completeCommands(target.received()) < 4) { // SELECT and 3 RESTOREs
                assertThat(System.nanoTime()).as("the source sent SELECT and 3 RESTOREs: " + target.received())
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                if (viaShutdown) {
                    shutdownCommand(s.port());
                }
                s.stop();
            });
            Thread.sleep(300); // the stop is under way while the batch waits for its answers
            target.answer("+OK\r\n+OK\r\n+OK\r\n+OK\r\n");
            stopped.get(60, TimeUnit.SECONDS);
            try (Source back = s.restarted(); RawConnection after = new RawConnection(back.port())) {
                assertThat(after.call("EXISTS", "k1", "k2", "k3"))
                        .as("the keys the target acknowledged are gone from the restarted source")
                        .isEqualTo(new RespValue.Integer(0));
            }
        }
    }

    private static final class RookerySource implements Source {
        private final Path dir;
        private final String appendonly;
        private final TestNode node;

        /** {@code appendonly} "no": RDB only, saved at SHUTDOWN and at stop. */
        RookerySource(Path dir, int port, String appendonly) {
            this.dir = dir;
            this.appendonly = appendonly;
            this.node = TestNode.start(c -> {
                try {
                    c.load("port", Integer.toString(port));
                    c.load("dir", dir.toString());
                    c.load("appendonly", appendonly);
                    c.load("save", appendonly.equals("no") ? "3600 1" : "");
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
        public void stop() {
            node.close();
        }

        @Override
        public Source restarted() {
            return new RookerySource(dir, node.port(), appendonly);
        }

        @Override
        public void close() {
            node.close();
        }
    }

    private record RedisSource(RealRedis redis) implements Source {
        @Override
        public int port() {
            return redis.port();
        }

        @Override
        public void stop() {
            redis.close();
        }

        @Override
        public Source restarted() {
            return new RedisSource(redis.restart());
        }

        @Override
        public void close() {
            redis.close();
        }
    }

    private static List<byte[]> args(String... a) {
        return List.of(a).stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
