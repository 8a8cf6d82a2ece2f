package io.rookery.node.migrate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE's cache of connections to targets, keyed by "host:port", as Redis keeps it: at most 64
 * (a random one is dropped for a new one), and the cron closes those unused for more than 10 seconds.
 * INFO's {@code migrate_cached_sockets} is its size. Used on the command thread only.
 */
public final class MigrateConnections {
    static final int MAX_CACHED = 64;
    static final long IDLE_TTL_SECONDS = 10;

    private final Map<String, MigrateConnection> cached = new LinkedHashMap<>();

    /** The cached connection to host:port, or a new one (cached); IOException when it cannot connect in time. */
    public MigrateConnection get(String host, String port, int timeoutMillis, long nowSeconds) throws IOException {
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
        return c;
    }

    /** Closes and forgets the connection to host:port, if any (after an I/O error on it). */
    public void close(String host, String port) {
        close(host + ":" + port);
    }

    private void close(String name) {
        MigrateConnection c = cached.remove(name);
        if (c != null) {
            c.close();
        }
    }

    /** The cron's duty: closes connections unused for more than 10 seconds. */
    public void closeIdle(long nowSeconds) {
        for (Iterator<MigrateConnection> it = cached.values().iterator(); it.hasNext(); ) {
            MigrateConnection c = it.next();
            if (nowSeconds - c.lastUseSeconds > IDLE_TTL_SECONDS) {
                c.close();
                it.remove();
            }
        }
    }

    /** Closes every connection (the node stops). */
    public void closeAll() {
        cached.values().forEach(MigrateConnection::close);
        cached.clear();
    }

    public int size() {
        return cached.size();
    }
}
