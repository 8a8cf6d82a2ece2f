package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in a child JVM under a write load, killed with SIGKILL, then restarted from its AOF:
 * under appendfsync always no acknowledged write may be missing; under everysec the loss is measured.
 */
class CrashIT {

    /**
     * Runs the load, kills the child after {@code millis} and at least 200 acknowledged writes (a
     * loaded machine may take long to warm the child up), returns {acknowledged, recovered, load millis}.
     */
    private static long[] crash(Path dir, String fsync, long millis) throws Exception {
        NodeProcess child = NodeProcess.start(java.util.List.of(), "dir", dir.toString(), "appendonly", "yes",
                "appendfsync", fsync);
        int port = child.port();
        AtomicLong acked = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (RawConnection c = new RawConnection(port)) {
                for (long i = 0; ; i++) {
                    RespValue r = c.call("SET", "k:" + i, Long.toString(i));
                    if (!(r instanceof RespValue.SimpleString)) {
                        return;
                    }
                    acked.set(i + 1);
                }
            } catch (Exception killed) {
                // the node died under us: that is the point
            }
        });
        long started = System.nanoTime();
        writer.start();
        Thread.sleep(millis);
        long deadline = System.currentTimeMillis() + 60_000;
        while (acked.get() < 200 && writer.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        child.kill();
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        writer.join();
        child.close();
        long acknowledged = acked.get();
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            long recovered = 0;
            for (long i = 0; i < acknowledged; i++) {
                if (c.call("EXISTS", "k:" + i).equals(new RespValue.Integer(1))) {
                    recovered++;
                }
            }
            return new long[]{acknowledged, recovered, loadMillis};
        }
    }

    @Test
    void underAppendfsyncAlwaysNoAcknowledgedWriteIsLost(@TempDir Path dir) throws Exception {
        long[] r = crash(dir, "always", 1500);
        assertThat(r[0]).as("writes acknowledged before the kill").isGreaterThan(100);
        assertThat(r[1]).as("acknowledged writes found after restart").isEqualTo(r[0]);
    }

    @Test
    void underEverysecTheLossIsAtMostAboutASecond(@TempDir Path dir) throws Exception {
        long[] r = crash(dir, "everysec", 2000);
        long lost = r[0] - r[1];
        double perSecond = r[0] * 1000.0 / r[2];
        System.out.printf("everysec crash: %d acknowledged, %d recovered, %d lost (%.2f s of writes)%n",
                r[0], r[1], lost, lost / perSecond);
        assertThat(r[0]).isGreaterThan(100);
        assertThat(lost / perSecond).as("seconds of acknowledged writes lost").isLessThanOrEqualTo(1.5);
    }
}
