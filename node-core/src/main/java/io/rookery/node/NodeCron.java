package io.rookery.node;

import io.rookery.node.server.OutOfMemoryExit;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's periodic work (Redis's serverCron), {@code hz} times a second on the command thread, as a
 * small list of named duties run in order. The keyspace clock is set first so every duty sees one
 * "now". A duty that throws is logged and ends this run (the next run starts from the first duty).
 */
final class NodeCron implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCron.class);

    /** One thing the cron does each run, given the run's wall-clock time. */
    record Duty(String name, LongConsumer work) {
    }

    private final LongConsumer clock;
    private final BooleanSupplier paused;
    private final List<Duty> duties;

    /** @param paused true while the cron must skip its duties (DEBUG PAUSE-CRON 1) */
    NodeCron(LongConsumer clock, BooleanSupplier paused, List<Duty> duties) {
        this.clock = clock;
        this.paused = paused;
        this.duties = List.copyOf(duties);
    }

    List<Duty> duties() {
        return duties;
    }

    @Override
    public void run() {
        if (paused.getAsBoolean()) {
            return; // DEBUG PAUSE-CRON 1
        }
        long now = System.currentTimeMillis();
        clock.accept(now);
        Duty current = null;
        try {
            for (Duty d : duties) {
                current = d;
                d.work().accept(now);
            }
        } catch (RuntimeException e) {
            LOG.error("cron failed in '{}'", current.name(), e);
        } catch (Error e) {
            OutOfMemoryExit.ifOutOfMemory(e);
            throw e;
        }
    }
}
