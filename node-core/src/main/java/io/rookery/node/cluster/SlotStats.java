package io.rookery.node.cluster;

import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.dispatch.CallObserver;
import io.rookery.protocol.cluster.SlotHash;
import io.rookery.protocol.command.CommandSpec;
import java.util.Arrays;

/**
 * The load each slot put on this node since the slot came here or the last CONFIG RESETSTAT, for
 * {@code CLUSTER SLOT-STATS} (Valkey 8's per-slot statistics) and the metrics endpoint:
 * <ul>
 *   <li>{@code cpu-usec}: time spent running commands whose keys hash to the slot;</li>
 *   <li>{@code network-bytes-in}: the request bytes of those commands (their RESP form, counted when
 *       the gate lets them through, so commands queued by MULTI count too);</li>
 *   <li>{@code network-bytes-out}: the reply bytes those commands wrote.</li>
 * </ul>
 * (key-count and memory-bytes are states of the keyspace, read from it by {@link SlotStatsReport}.)
 *
 * <p>Accounting follows Valkey's rules: only while {@code cluster-slot-stats-enabled yes}, only
 * commands bound to one slot, and a command run by an outer one (inside EXEC or a script)
 * is charged to the outer one when that outer one has a slot, to its own slot otherwise. A blocked
 * command is charged when it is called, not when it is served later. Slot statistics start again at
 * zero when the slot changes owner, as Valkey's {@code clusterSlotStatReset}.
 *
 * <p>The cost on the command path is a few array writes: the gate tells the slot of the command it let
 * through ({@link #admitted}), and the call observer keeps one preallocated frame per nesting depth.
 * Everything runs on the command thread.
 */
public final class SlotStats implements CallObserver {
    private static final int SLOTS = ClusterState.SLOTS;
    private static final int MAX_DEPTH = 16;

    private final long[] cpuNanos = new long[SLOTS];
    private final long[] bytesIn = new long[SLOTS];
    private final long[] bytesOut = new long[SLOTS];
    private boolean enabled;

    /** The slot of the command the gate just let through, -1 for none; taken by the next outermost call. */
    private int admittedSlot = -1;
    private int depth;
    private final int[] frameSlot = new int[MAX_DEPTH];
    private final long[] frameStart = new long[MAX_DEPTH];
    private final int[] frameMark = new int[MAX_DEPTH];

    public SlotStats(boolean enabled) {
        this.enabled = enabled;
    }

    /** cluster-slot-stats-enabled: whether cpu and network are accounted (CONFIG SET takes effect at once). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    // ---------------------------------------------------------------- the command path

    /**
     * The gate let a command through for {@code slot} (-1 for a command without keys): counts its
     * request bytes and remembers the slot for the call that follows.
     */
    void admitted(int slot, byte[][] args) {
        admittedSlot = slot;
        if (slot >= 0 && enabled) {
            bytesIn[slot] += requestBytes(args);
        }
    }

    @Override
    public void beforeCall(Client client, CommandSpec spec, byte[][] args) {
        int d = depth++;
        if (d >= MAX_DEPTH) {
            return;
        }
        int slot;
        if (d == 0) {
            slot = admittedSlot;
            admittedSlot = -1;
        } else {
            slot = outerSlotted(d) ? -1 : slotOf(spec, args);
        }
        if (!enabled) {
            slot = -1;
        }
        frameSlot[d] = slot;
        if (slot >= 0) {
            frameStart[d] = System.nanoTime();
            frameMark[d] = client.connection() instanceof DetachedConnection ? -1 : client.outputMark();
        }
    }

    @Override
    public void afterCall(Client client, CommandSpec spec, byte[][] args) {
        int d = --depth;
        if (d < 0) { // cannot happen: calls nest; keep the count sane anyway
            depth = 0;
            return;
        }
        if (d >= MAX_DEPTH) {
            return;
        }
        int slot = frameSlot[d];
        if (slot < 0) {
            return;
        }
        cpuNanos[slot] += System.nanoTime() - frameStart[d];
        int mark = frameMark[d];
        if (mark >= 0) {
            bytesOut[slot] += Math.max(0, client.outputMark() - mark);
        }
    }

    private boolean outerSlotted(int d) {
        for (int i = 0; i < d && i < MAX_DEPTH; i++) {
            if (frameSlot[i] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The slot of a nested command's first key (the gate already held its keys to one slot), or -1. */
    private static int slotOf(CommandSpec spec, byte[][] args) {
        int[] positions = spec.keyPositions(args);
        return positions.length == 0 ? -1 : SlotHash.slot(args[positions[0]]);
    }

    /** The size of the request as a RESP array of bulk strings: {@code *n\r\n} then {@code $len\r\nbytes\r\n} each. */
    static long requestBytes(byte[][] args) {
        long n = 3 + digits(args.length);
        for (byte[] a : args) {
            n += 5 + digits(a.length) + a.length;
        }
        return n;
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    // ---------------------------------------------------------------- resets

    /** CONFIG RESETSTAT: every slot's figures start again at zero. */
    public void reset() {
        Arrays.fill(cpuNanos, 0);
        Arrays.fill(bytesIn, 0);
        Arrays.fill(bytesOut, 0);
    }

    /** The slot changed owner (added, deleted, taken over): its figures start again, as in Valkey. */
    void resetSlot(int slot) {
        cpuNanos[slot] = 0;
        bytesIn[slot] = 0;
        bytesOut[slot] = 0;
    }

    // ---------------------------------------------------------------- readings

    public long cpuMicros(int slot) {
        return cpuNanos[slot] / 1000;
    }

    public long networkBytesIn(int slot) {
        return bytesIn[slot];
    }

    public long networkBytesOut(int slot) {
        return bytesOut[slot];
    }

}
