package io.rookery.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the gateway keeps for INFO, the REST view and the metrics: commands by name with their
 * time, per backend its requests, errors, time and disconnections, redirections absorbed by kind,
 * split multi-key commands. Written by the event loops without locks (adders), read by anyone.
 */
public final class GatewayStats {

    /** Count and total time of one command (or one backend's requests). */
    public static final class Timing {
        private final LongAdder count = new LongAdder();
        private final LongAdder nanos = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final LongAdder disconnects = new LongAdder();

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

        public long count() {
            return count.sum();
        }

        public double totalSeconds() {
            return nanos.sum() / 1e9;
        }

        public long errors() {
            return errors.sum();
        }

        public long disconnects() {
            return disconnects.sum();
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
