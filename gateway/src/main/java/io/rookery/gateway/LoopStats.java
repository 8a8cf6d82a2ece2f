package io.rookery.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * What one event loop records into the gateway's {@link GatewayStats}: a {@link GatewayStats.Shard} per
 * command name and per backend, found in maps only this loop touches (no contended adder, no
 * concurrent map per command), and the clock the loop's requests are timed by.
 *
 * <p>The clock reads {@link System#nanoTime()} once per socket read ({@link #readStarted}) and gives that
 * time to every request started or answered while the read is handled: a pipeline of a hundred
 * commands costs one clock read instead of four hundred. Outside a read (a scheduled retry, a timeout
 * sweep) {@link #now()} reads the clock itself.
 */
final class LoopStats {
    private final GatewayStats stats;
    private final Map<String, GatewayStats.Shard> commands = new HashMap<>();
    private final Map<String, GatewayStats.Shard> backends = new HashMap<>();
    private long readNanos;
    private boolean reading;

    LoopStats(GatewayStats stats) {
        this.stats = stats;
    }

    GatewayStats gateway() {
        return stats;
    }

    /** This loop's shard of the timing of command {@code name}. */
    GatewayStats.Shard command(String name) {
        GatewayStats.Shard s = commands.get(name);
        if (s == null) {
            s = stats.command(name).newShard();
            commands.put(name, s);
        }
        return s;
    }

    /** This loop's shard of the timing of requests to backend {@code address}. */
    GatewayStats.Shard backend(String address) {
        GatewayStats.Shard s = backends.get(address);
        if (s == null) {
            s = stats.backend(address).newShard();
            backends.put(address, s);
        }
        return s;
    }

    /** A socket read begins: the time of everything it starts or answers. */
    void readStarted() {
        readNanos = System.nanoTime();
        reading = true;
    }

    void readEnded() {
        reading = false;
    }

    /** The time of the read being handled, or the clock's time outside a read. */
    long now() {
        return reading ? readNanos : System.nanoTime();
    }
}
