package io.rookery.node.scripting;

import io.rookery.node.client.Client;

/**
 * One script execution in progress (Redis's scriptRunCtx): who called it, under which flags, and
 * what it did so far. The kill request is written by the command thread and read by the Lua hook.
 */
final class ScriptRun {
    static final int REPL_AOF = 1;
    static final int REPL_REPLICA = 2;
    static final int REPL_ALL = REPL_AOF | REPL_REPLICA;

    final Client caller;
    /** The EVAL/FCALL command line (FUNCTION STATS shows it). */
    byte[][] command = new byte[0][];
    final String name;
    final boolean evalMode;
    final boolean readOnly;
    final boolean allowOom;
    final long startNanos = System.nanoTime();
    /**
     * Cluster mode: the slot the script's keys are in, first that of its declared keys, else of the
     * first key a redis.call touched; -1 while none (Redis keeps it as the caller's slot).
     */
    int slot = -1;
    /** Cluster mode: redis.call may touch keys of several slots (compatibility mode or allow-cross-slot-keys). */
    boolean allowCrossSlot;
    /** The script has run a write command (it can no longer be killed). */
    boolean writeDirty;
    /** RESP version of redis.call replies (redis.setresp). */
    int resp = 2;
    int repl = REPL_ALL;
    /** The run failed on a redis.call error, already counted in the error stats when the command replied it. */
    boolean errorCounted;
    volatile boolean killRequested;
    /** Past busy-reply-threshold: other clients get BUSY. */
    volatile boolean timedOut;

    /** A run on the command thread reached the count hook (it was judged bounded; logged once). */
    boolean inlineOverrun;

    /** Called by the Lua hook about every 100000 instructions (the busy-script check). */
    Runnable ticker = () -> { };

    void tick() {
        ticker.run();
    }

    ScriptRun(Client caller, String name, boolean evalMode, boolean readOnly, boolean allowOom) {
        this.caller = caller;
        this.name = name;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
    }

    /**
     * The cluster rules of this run: the slot of the {@code numkeys} declared keys from
     * {@code args[first]} (the gate already made them share one), and whether redis.call may cross slots.
     */
    void clusterRules(byte[][] args, int first, long numkeys, boolean allowCrossSlot) {
        this.slot = numkeys > 0 ? io.rookery.protocol.cluster.SlotHash.slot(args[first]) : -1;
        this.allowCrossSlot = allowCrossSlot;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
