package io.rookery.node.blocking;

import io.netty.channel.EventLoop;
import io.rookery.node.client.Client;
import io.rookery.node.keyspace.BinaryKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), as Redis's blocked.c: each waits in a
 * per-key queue in arrival order; a write that may feed a key marks it ready, and after the current
 * top-level command (so after EXEC, not inside it) the ready keys serve their waiters in order. A
 * blocked client reads no further requests until served, timed out or disconnected.
 */
public final class Blocking {

    /** The error CLIENT UNBLOCK ... ERROR ends a wait with. */
    public static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    /** What a blocked command does when a key is ready, or when its time runs out. */
    public interface Waiter {
        /** Tries to complete the command from {@code key}; true when it replied. */
        boolean serve(byte[] key);

        /** Writes the timeout reply. */
        void timeout();
    }

    private record DbKey(int db, BinaryKey key) {
    }

    private final class Blocked {
        final Client client;
        final List<DbKey> keys;
        final Waiter waiter;
        ScheduledFuture<?> timer;

        Blocked(Client client, List<DbKey> keys, Waiter waiter) {
            this.client = client;
            this.keys = keys;
            this.waiter = waiter;
        }
    }

    private final Map<DbKey, ArrayDeque<Blocked>> waiting = new HashMap<>();
    private final Map<Client, Blocked> byClient = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private final EventLoop loop;
    private BiConsumer<Integer, byte[]> keyWritten = (db, key) -> { };

    public Blocking(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Who hears of the keys a served waiter writes (WATCH): a waiter is served after its command
     * ended, outside the dispatcher's own write accounting.
     */
    public void onKeyWritten(BiConsumer<Integer, byte[]> listener) {
        this.keyWritten = listener;
    }

    /** A served waiter changed {@code key} of database {@code db} (popped from it, or moved into it). */
    public void written(int db, byte[] key) {
        keyWritten.accept(db, key);
    }

    /** Blocks {@code c} on {@code keys} of database {@code db}; {@code timeoutMillis} 0 waits forever. */
    public void block(Client c, int db, List<byte[]> keys, long timeoutMillis, Waiter waiter) {
        List<DbKey> dk = new ArrayList<>();
        for (byte[] k : keys) {
            dk.add(new DbKey(db, new BinaryKey(k)));
        }
        Blocked b = new Blocked(c, dk, waiter);
        for (DbKey k : dk) {
            waiting.computeIfAbsent(k, x -> new ArrayDeque<>()).add(b);
        }
        byClient.put(c, b);
        c.blocked = true;
        if (timeoutMillis > 0) {
            b.timer = loop.schedule(() -> expire(b), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void expire(Blocked b) {
        if (byClient.get(b.client) != b) {
            return;
        }
        remove(b);
        b.waiter.timeout();
        release(b.client);
    }

    /** Marks a key whose list, sorted set or stream may have gained elements (or been deleted). */
    public void signal(int db, byte[] key) {
        if (waiting.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db, new BinaryKey(key));
        if (waiting.containsKey(k)) {
            ready.add(k);
        }
    }

    /** Marks every key some client waits on (FLUSHALL, FLUSHDB, SWAPDB may have changed any of them). */
    public void signalAll() {
        ready.addAll(waiting.keySet());
    }

    /** Serves waiters of ready keys in arrival order; run after each top-level command. */
    public void serveReady() {
        while (!ready.isEmpty()) {
            Iterator<DbKey> it = ready.iterator();
            DbKey k = it.next();
            it.remove();
            ArrayDeque<Blocked> queue = waiting.get(k);
            if (queue == null) {
                continue;
            }
            // Every waiter gets its turn, in arrival order: a pop that finds the key empty declines,
            // while a stream reader (which consumes nothing) may be served after another declined.
            for (Blocked b : new ArrayList<>(queue)) {
                if (byClient.get(b.client) != b || !b.waiter.serve(k.key().bytes())) {
                    continue;
                }
                remove(b);
                release(b.client);
            }
        }
    }

    private void remove(Blocked b) {
        byClient.remove(b.client);
        for (DbKey k : b.keys) {
            ArrayDeque<Blocked> q = waiting.get(k);
            if (q != null) {
                q.remove(b);
                if (q.isEmpty()) {
                    waiting.remove(k);
                }
            }
        }
        if (b.timer != null) {
            b.timer.cancel(false);
        }
    }

    private static void release(Client c) {
        c.blocked = false;
        c.connection().flushSoon();
        c.connection().resumeInput();
    }

    /**
     * Marks every key of database {@code db} that someone waits on (SWAPDB brought in another
     * database's keys); waiters whose key now holds nothing of their type keep waiting.
     */
    public void signalAll(int db) {
        for (DbKey k : waiting.keySet()) {
            if (k.db() == db) {
                ready.add(k);
            }
        }
    }

    /**
     * CLIENT UNBLOCK: ends {@code c}'s wait with its timeout reply, or with the UNBLOCKED error when
     * {@code error}; false when {@code c} is not waiting on keys.
     */
    public boolean unblock(Client c, boolean error) {
        Blocked b = byClient.get(c);
        if (b == null) {
            return false;
        }
        remove(b);
        if (error) {
            c.reply().error(UNBLOCKED);
        } else {
            b.waiter.timeout();
        }
        release(c);
        return true;
    }

    /** Drops a disconnecting client's wait. */
    public void forget(Client c) {
        Blocked b = byClient.get(c);
        if (b != null) {
            remove(b);
            c.blocked = false;
        }
    }

    public int blockedCount() {
        return byClient.size();
    }
}
