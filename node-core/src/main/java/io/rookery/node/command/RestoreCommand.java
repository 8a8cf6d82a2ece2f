package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.config.KeyspaceEventFlags;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.dispatch.KeyHolds;
import io.rookery.node.keyspace.AccessMeta;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.migrate.PayloadDecoder;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.Numbers;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency], and
 * RESTORE-ASKING (what MIGRATE sends in cluster mode), with Redis 7.0's checks in its order: the
 * options, the TTL, BUSYKEY, the payload's version and CRC64, its format.
 *
 * <p>A payload of {@link PayloadDecoder#OFF_THREAD_BYTES} or more is checked and decoded off the command thread
 * ({@link PayloadDecoder}), as MIGRATE's source side serializes off it: the key is held meanwhile
 * ({@link KeyHolds}: commands naming it, and keyless writes, wait), the client waits like a blocked
 * one, and the other clients are served; then the command runs again on the command thread
 * ({@link Dispatcher#resume}) and adds the value, replies, propagates and notifies as a RESTORE that
 * ran at once. The replication stream, AOF loading, MULTI/EXEC and scripts cannot wait: they decode
 * on the command thread, as Redis does for every RESTORE.
 */
final class RestoreCommand extends CommandGroup {
    private final TypeContext types;
    private final DebugSwitches debugSwitches;
    private final Executor commandThread;
    private final PayloadDecoder decoder = PayloadDecoder.shared();
    /** Decoded payloads, by the client that waits for them, until its RESTORE runs again. */
    private final Map<Client, PayloadDecoder.Decoded> arrived = new HashMap<>();

    RestoreCommand(CommandBasics basics, TypeContext types, DebugSwitches debugSwitches, Executor commandThread) {
        super(basics);
        this.types = types;
        this.debugSwitches = debugSwitches;
        this.commandThread = commandThread;
    }

    void register(CommandRegistry r) {
        r.register("restore", this::restore).register("restore-asking", this::restore);
    }

    private record Options(long ttl, boolean replace, boolean absTtl, long idle, long freq) {
    }

    private void restore(Client c, byte[][] a) {
        PayloadDecoder.Decoded decoded = arrived.remove(c);
        Options o = parse(a);
        if (decoded == null) {
            if (!o.replace() && db(c).exists(a[1])) {
                throw new CommandError(Errors.BUSYKEY);
            }
            boolean checkCrc = !debugSwitches.checksumValidationSkipped();
            if (a[3].length >= PayloadDecoder.OFF_THREAD_BYTES && canWait(c)) {
                decodeElsewhere(c, a, checkCrc);
                return;
            }
            decoded = PayloadDecoder.decodeNow(a[3], checkCrc, types);
        }
        if (decoded.error() != null) {
            throw new CommandError(decoded.error());
        }
        apply(c, a, o, decoded.value());
    }

    /** Whether this client may wait for its payload: a connection of its own, outside MULTI/EXEC and scripts. */
    private static boolean canWait(Client c) {
        return !c.inMulti && !c.inExec && !c.scriptClient && !(c.connection() instanceof DetachedConnection);
    }

    private void decodeElsewhere(Client c, byte[][] a, boolean checkCrc) {
        int dbId = c.db;
        List<byte[]> key = List.of(a[1]);
        dispatcher.holds().hold(dbId, key);
        c.blocked = true;
        decoder.decode(a[3], checkCrc, types).whenComplete((decoded, failure) -> commandThread.execute(() -> arrive(c, a,
                dbId, key, decoded != null ? decoded : new PayloadDecoder.Decoded(null, "ERR Bad data format"))));
    }

    /**
     * On the command thread: the payload is decoded; RESTORE runs again to apply it (also for a client
     * that left meanwhile: its command was received, as MIGRATE's is), and the key is let go.
     */
    private void arrive(Client c, byte[][] a, int dbId, List<byte[]> key, PayloadDecoder.Decoded decoded) {
        arrived.put(c, decoded);
        try {
            dispatcher.resume(c, a);
        } finally {
            arrived.remove(c);
            dispatcher.holds().release(dbId, key);
            dispatcher.unpark(c);
        }
    }

    private static Options parse(byte[][] a) {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int i = 4; i < a.length; i++) {
            if (Args.is(a[i], "REPLACE")) {
                replace = true;
            } else if (Args.is(a[i], "ABSTTL")) {
                absTtl = true;
            } else if (Args.is(a[i], "IDLETIME") && i + 1 < a.length && freq == -1) {
                idle = Args.integer(a[++i]);
                if (idle < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (Args.is(a[i], "FREQ") && i + 1 < a.length && idle == -1) {
                freq = Args.integer(a[++i]);
                if (freq < 0 || freq > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw Errors.syntax();
            }
        }
        long ttl = Args.integer(a[2]);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        return new Options(ttl, replace, absTtl, idle, freq);
    }

    private void apply(Client c, byte[][] a, Options o, Object value) {
        Database db = db(c);
        long now = keyspace.now();
        long ttl = o.ttl();
        if (ttl > 0 && !o.absTtl()) {
            ttl += now;
        }
        boolean existed = o.replace() && db.delete(a[1]);
        if (ttl > 0 && ttl <= now) {
            if (existed) {
                dirty(1);
            }
            c.reply().ok();
            return;
        }
        db.add(a[1], value);
        if (ttl > 0) {
            db.expireAt(a[1], ttl);
            if (!o.absTtl()) { // as Redis: the same arguments with the TTL made absolute and ABSTTL appended
                byte[][] args = Arrays.copyOf(a, a.length + 1);
                args[2] = Numbers.toBytes(ttl);
                args[a.length] = bytes("ABSTTL");
                propagateAs(c, args);
            }
        }
        Dict.Entry e = db.entry(a[1]);
        if (o.idle() >= 0 && !config.maxmemoryPolicy.lfu()) {
            e.meta(AccessMeta.lruClock(now - o.idle() * 1000));
        } else if (o.freq() >= 0 && config.maxmemoryPolicy.lfu()) {
            e.meta((AccessMeta.lfuMinutes(now) << 8) | (int) o.freq());
        }
        dirty(1);
        notify(c, KeyspaceEventFlags.GENERIC, "restore", a[1]);
        c.reply().ok();
    }
}
