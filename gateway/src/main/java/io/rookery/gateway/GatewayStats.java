package io.rookery.gateway;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the gateway keeps for INFO, the REST view and the metrics: commands by name with their
 * time, per backend its requests, errors, time and disconnections, redirections absorbed by kind,
 * split multi-key commands. Written by the event loops without locks (adders), read by anyone.
 */
public final class GatewayStats {

    /**
     * Count and total time of one command (or one backend's requests). Any thread may {@link #record}
     * (adders); each event loop records into a {@link Shard} of its own instead, plain fields written by
     * that loop alone, so the per-command path pays neither a contended adder nor a map of the whole
     * gateway. Readers sum the adders and every shard.
     */
    public static final class Timing {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder disconnects = new LongAdder();
        private volatile Shard[] shards = new Shard[0];

        void record(long elapsedNanos, boolean error) {
            count.increment();
            nanos.add(elapsedNanos);
            if (error) {
                errors.increment();
            }
        }

        void disconnected() {
            disconnects.increment();
        }

        /** A new shard for one writer thread (an event loop), counted by this timing from now on. */
        synchronized Shard newShard() {
            Shard s = new Shard();
            Shard[] grown = java.util.Arrays.copyOf(shards, shards.length + 1);
            grown[grown.length - 1] = s;
            shards = grown;
            return s;
        }

        public long count() {
            long n = count.sum();
            for (Shard s : shards) {
                n += (long) Shard.COUNT.getOpaque(s);
            }
            return n;
        }

        public double totalSeconds() {
            long n = nanos.sum();
            for (Shard s : shards) {
                n += (long) Shard.NANOS.getOpaque(s);
            }
            return n / 1e9;
        }

        public long errors() {
            long n = errors.sum();
            for (Shard s : shards) {
                n += (long) Shard.ERRORS.getOpaque(s);
            }
            return n;
        }

        public long disconnects() {
            return disconnects.sum();
        }
    }

    /**
     * One writer's part of a {@link Timing}: written by its owning event loop only (opaque stores, a plain
     * move on x86), read by anyone (opaque loads: a value at most a moment old, never torn).
     */
    public static final class Shard {
        static final VarHandle COUNT;
        static final VarHandle NANOS;
        static final VarHandle ERRORS;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                COUNT = l.findVarHandle(Shard.class, "count", long.class);
                NANOS = l.findVarHandle(Shard.class, "nanos", long.class);
                ERRORS = l.findVarHandle(Shard.class, "errors", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long count;
        private long nanos;
        private long errors;

        private Shard() {
        }

        /** Records one request; only the owning loop calls it. */
        void record(long elapsedNanos, boolean error) {
            COUNT.setOpaque(this, count + 1);
            NANOS.setOpaque(this, nanos + Math.max(0, elapsedNanos));
            if (error) {
                ERRORS.setOpaque(this, errors + 1);
            }
        }
    }

    /** Redirections a backend answered with, absorbed by the gateway. */
    public enum Redirection { MOVED, ASK, TRYAGAIN }

    private final Map<String, Timing> commands = new ConcurrentHashMap<>();
    private final Map<String, Timing> backends = new ConcurrentHashMap<>();
    private final Map<Redirection, LongAdder> redirections = new ConcurrentHashMap<>();
    private final LongAdder splits = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder outputLimitDisconnects = new LongAdder();
    private final long startedMillis = System.currentTimeMillis();

    public GatewayStats() {
        for (Redirection r : Redirection.values()) {
            redirections.put(r, new LongAdder());
        }
    }

    public Timing command(String name) {
        Timing t = commands.get(name);
        return t != null ? t : commands.computeIfAbsent(name, k -> new Timing());
    }

    public Timing backend(String address) {
        Timing t = backends.get(address);
        return t != null ? t : backends.computeIfAbsent(address, k -> new Timing());
    }

    void redirected(Redirection kind) {
        redirections.get(kind).increment();
    }

    void split() {
        splits.increment();
    }

    void connectionAccepted() {
        connections.increment();
    }

    void connectionRejected() {
        rejected.increment();
    }

    /** A client was disconnected for its output buffer limit (INFO's client_output_buffer_limit_disconnections). */
    void outputLimitDisconnect() {
        outputLimitDisconnects.increment();
    }

    public long outputLimitDisconnects() {
        return outputLimitDisconnects.sum();
    }

    public Map<String, Timing> commands() {
        return commands;
    }

    public Map<String, Timing> backends() {
        return backends;
    }

    public long redirections(Redirection kind) {
        return redirections.get(kind).sum();
    }

    public long splits() {
        return splits.sum();
    }

    public long connectionsReceived() {
        return connections.sum();
    }

    public long connectionsRejected() {
        return rejected.sum();
    }

    public long commandsProcessed() {
        long n = 0;
        for (Timing t : commands.values()) {
            n += t.count();
        }
        return n;
    }

    public long startedMillis() {
        return startedMillis;
    }
}
