package io.rookery.node.migrate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * MIGRATE's cache of connections to targets, keyed by "host:port", as Redis keeps it: at most 64
 * (a random one is dropped for a new one), and the cron closes those unused for more than 10 seconds.
 * INFO's {@code migrate_cached_sockets} is its size.
 *
 * <p>The connections live on MIGRATE's own I/O thread, not the command thread: {@link #exchange}
 * runs each conversation with a target there, one at a time in submission order (so a connection
 * is never shared by two), and the cron's {@link #closeIdle} is handed to it too. The thread is a
 * daemon that ends after a minute without work and is started again on demand.
 */
public final class MigrateConnections {
    static final int MAX_CACHED = 64;
    static final long IDLE_TTL_SECONDS = 10;

    private final Map<String, MigrateConnection> cached = new LinkedHashMap<>();
    private volatile int size;
    private final ThreadPoolExecutor io = newIoThread();

    private static ThreadPoolExecutor newIoThread() {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rookery-migrate-io");
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Runs {@code exchange} on the I/O thread; the future completes there with its outcome. */
    public CompletableFuture<MigrateExchange.Outcome> exchange(MigrateExchange exchange) {
        return CompletableFuture.supplyAsync(() -> exchange.run(this), io);
    }

    /**
     * The cached connection to host:port, or a new one (cached); IOException when it cannot connect in
     * time. On the I/O thread only (from an exchange).
     */
    MigrateConnection get(String host, String port, int timeoutMillis, long nowSeconds) throws IOException {
        String name = host + ":" + port;
        MigrateConnection c = cached.get(name);
        if (c != null) {
            c.lastUseSeconds = nowSeconds;
            return c;
        }
        if (cached.size() == MAX_CACHED) {
            List<String> names = new ArrayList<>(cached.keySet());
            close(names.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(names.size())));
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IOException("bad port " + port);
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw new IOException("bad port " + port);
        }
        c = MigrateConnection.open(host, portNumber, timeoutMillis);
        c.lastUseSeconds = nowSeconds;
        cached.put(name, c);
        size = cached.size();
        return c;
    }

    /** Closes and forgets the connection to host:port, if any (after an I/O error on it); on the I/O thread only. */
    void close(String host, String port) {
        close(host + ":" + port);
    }

    private void close(String name) {
        MigrateConnection c = cached.remove(name);
        size = cached.size();
        if (c != null) {
            c.close();
        }
    }

    /** The cron's duty: closes connections unused for more than 10 seconds (on the I/O thread, after what is queued). */
    public void closeIdle(long nowSeconds) {
        if (size > 0) {
            io.execute(() -> closeIdleNow(nowSeconds));
        }
    }

    private void closeIdleNow(long nowSeconds) {
        for (Iterator<MigrateConnection> it = cached.values().iterator(); it.hasNext(); ) {
            MigrateConnection c = it.next();
            if (nowSeconds - c.lastUseSeconds > IDLE_TTL_SECONDS) {
                c.close();
                it.remove();
            }
        }
        size = cached.size();
    }

    /** Closes every connection (the node stops), on the I/O thread after what is queued. */
    public void closeAll() {
        io.execute(() -> {
            cached.values().forEach(MigrateConnection::close);
            cached.clear();
            size = 0;
        });
    }

    public int size() {
        return size;
    }
}
