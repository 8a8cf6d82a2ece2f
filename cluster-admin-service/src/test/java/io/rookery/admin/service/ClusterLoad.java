package io.rookery.admin.service;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user of the cluster: Lettuce's cluster client configured as a real application that lives through
 * reshards would be (periodic topology refresh, and a refresh on every MOVED/ASK redirect or reconnect;
 * Lettuce follows MOVED and ASK by itself), writing distinct keys {@code load:n = value-n} and reading a
 * random acknowledged one back after each write, in a thread of its own, until stopped.
 *
 * <p>Any exception that reaches the loop (Lettuce gave up: a timeout, a redirect it did not follow, an
 * error reply) is recorded, as is a read that does not return the value acknowledged for its key. The
 * acknowledged writes can be checked afterwards with {@link #missingAfterwards()}.
 */
final class ClusterLoad implements AutoCloseable {
    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final Thread thread;
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> wrongReads = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorCount = new AtomicInteger();
    /** Keys 0 .. acked-1 were all acknowledged (a failed write is retried under the same key until it is). */
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong worstMillis = new AtomicLong();
    private volatile boolean stop;

    private ClusterLoad(RedisClusterClient client, StatefulRedisClusterConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
        this.thread = new Thread(this::loop, "cluster-load");
        this.thread.setDaemon(true);
    }

    /** Connects to the cluster through {@code seedPort} and starts writing. */
    static ClusterLoad start(int seedPort) {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(seedPort)
                .withTimeout(Duration.ofSeconds(10)).build());
        client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(Duration.ofSeconds(2)).enableAllAdaptiveRefreshTriggers()
                .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500)).build()).build());
        ClusterLoad load = new ClusterLoad(client, client.connect());
        load.thread.start();
        return load;
    }

    static String key(long n) {
        return "load:" + n;
    }

    static String value(long n) {
        return "value-" + n;
    }

    private void loop() {
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        long n = 0;
        while (!stop) {
            long began = System.nanoTime();
            try {
                sync.set(key(n), value(n));
                acked.set(++n);
                long m = ThreadLocalRandom.current().nextLong(n);
                String got = sync.get(key(m));
                reads.incrementAndGet();
                if (!value(m).equals(got)) {
                    wrongReads.add(key(m) + " read " + got);
                }
            } catch (RuntimeException e) {
                if (errorCount.incrementAndGet() <= 20) {
                    errors.add(e.toString());
                }
            }
            worstMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), Math::max);
            pause();
        }
    }

    /** A couple of hundred writes a second: enough to land in every moving slot, not enough to slow the moves. */
    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's current view knows node {@code id}. */
    boolean knowsNode(String id) {
        return client.getPartitions().getPartitionByNodeId(id) != null;
    }

    long acknowledged() {
        return acked.get();
    }

    long reads() {
        return reads.get();
    }

    long worstLatencyMillis() {
        return worstMillis.get();
    }

    int errorCount() {
        return errorCount.get();
    }

    /** The first exceptions the loop saw (at most 20). */
    List<String> errors() {
        return List.copyOf(errors);
    }

    List<String> wrongReads() {
        return List.copyOf(wrongReads);
    }

    /** Stops the writer (waits for its last command). */
    void stop() throws InterruptedException {
        stop = true;
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new AssertionError("the load thread did not stop");
        }
    }

    /** Every acknowledged key whose value is not there now (read back in pipelined batches of 1000). */
    List<String> missingAfterwards() throws Exception {
        List<String> missing = new ArrayList<>();
        long total = acked.get();
        for (long from = 0; from < total; from += 1000) {
            List<RedisFuture<String>> batch = new ArrayList<>();
            long to = Math.min(total, from + 1000);
            for (long n = from; n < to; n++) {
                batch.add(connection.async().get(key(n)));
            }
            for (int i = 0; i < batch.size(); i++) {
                long n = from + i;
                String got = batch.get(i).get(30, TimeUnit.SECONDS);
                if (!value(n).equals(got)) {
                    missing.add(key(n) + "=" + got);
                }
            }
        }
        return missing;
    }

    @Override
    public void close() {
        stop = true;
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
