package io.rookery.gateway;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.sync.RedisCommands;
import io.rookery.node.support.Lettuce;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A cluster-unaware client writing and reading through the gateway without pause on its own thread:
 * SET w:i i, then reading back a few earlier keys (GET and a cross-slot MGET), recording every
 * acknowledged write, every error (with when it happened) and any wrong reply.
 */
final class ContinuousWriter implements AutoCloseable {
    record Failure(long atMillis, String message) {
    }

    private final Lettuce client;
    private final Thread thread;
    private final List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> successTimes = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean paused;
    private volatile boolean stopped;
    private volatile boolean idle;
    private volatile long lastSuccessMillis;

    ContinuousWriter(int gatewayPort) {
        this.client = Lettuce.connect(gatewayPort, ProtocolVersion.RESP2);
        this.thread = new Thread(this::run, "continuous-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        RedisCommands<String, String> r = client.sync();
        int i = 0;
        while (!stopped) {
            if (paused) {
                idle = true;
                sleep(5);
                continue;
            }
            idle = false;
            i++;
            try {
                r.set("w:" + i, Integer.toString(i));
                acknowledged.add(i);
                int earlier = Math.max(1, i - 7);
                String v = r.get("w:" + earlier);
                if (v != null && !v.equals(Integer.toString(earlier))) {
                    wrong.add("GET w:" + earlier + " = " + v);
                }
                List<KeyValue<String, String>> m = r.mget("w:" + i, "w:" + earlier);
                if (!m.get(0).getValueOrElse("").equals(Integer.toString(i))) {
                    wrong.add("MGET w:" + i + " = " + m.get(0));
                }
                lastSuccessMillis = System.currentTimeMillis();
                successTimes.add(lastSuccessMillis);
            } catch (RuntimeException e) {
                failures.add(new Failure(System.currentTimeMillis(), String.valueOf(e.getMessage())));
                sleep(10);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops writing and waits until the current request is done. */
    void pause() {
        paused = true;
        ClusterUnderTest.await("the writer to pause", () -> idle);
    }

    void resume() {
        paused = false;
    }

    List<Integer> acknowledged() {
        synchronized (acknowledged) {
            return new ArrayList<>(acknowledged);
        }
    }

    List<Failure> failures() {
        synchronized (failures) {
            return new ArrayList<>(failures);
        }
    }

    List<String> wrongReplies() {
        synchronized (wrong) {
            return new ArrayList<>(wrong);
        }
    }

    /** When the first full round (write and reads) at or after {@code millis} succeeded; -1 if none yet. */
    long firstSuccessAtOrAfter(long millis) {
        synchronized (successTimes) {
            return successTimes.stream().filter(t -> t >= millis).findFirst().orElse(-1L);
        }
    }

    long lastSuccessMillis() {
        return lastSuccessMillis;
    }

    /** Waits until {@code n} more writes have been acknowledged. */
    void awaitMoreWrites(int n) {
        int target = acknowledged.size() + n;
        ClusterUnderTest.await(n + " more writes", () -> acknowledged.size() >= target);
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
