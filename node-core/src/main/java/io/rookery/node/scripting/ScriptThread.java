package io.rookery.node.scripting;

import io.rookery.protocol.RespValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where scripts run, and how the node stays responsive while one runs too long (Redis's
 * busy-reply-threshold).
 *
 * <p>The node executes every command on one thread, which is also the event loop that reads the
 * sockets. A script running on that thread would block all I/O, so no other client could even be
 * told BUSY, and SCRIPT KILL could never arrive. So a script runs on this dedicated thread while
 * the command thread <b>waits</b> for it: the keyspace has exactly one user at a time and the script
 * is atomic, as in Redis. Two things end the wait:
 * <ul>
 *   <li>the script finishes (the common case): the command thread writes the reply as usual;</li>
 *   <li>the script passes the threshold: the script thread itself (from the Lua count hook) marks the
 *   run timed out and wakes the command thread, which returns to the event loop without a reply
 *   (the caller's input stays suspended). From that moment the script thread no longer touches the
 *   node: each redis.call it makes is executed on the command thread and awaited. Meanwhile the
 *   node answers other clients BUSY ({@link BusyScriptGuard}) except for the commands flagged
 *   allow_busy (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS, SHUTDOWN NOSAVE ...). When the script
 *   ends, its completion is queued onto the command thread, which replies to the caller and
 *   resumes its input.</li>
 * </ul>
 * A run that cannot be detached from its caller (inside EXEC, an internal client) waits however long
 * the script takes.
 *
 * <p>A script that can never reach the busy check skips this thread altogether: EVAL runs it on
 * the command thread ({@link BoundedChunk} decides from its bytecode: no loop, no function of its
 * own, no way to other Lua code). The handoff cost about as much as the script itself.
 *
 * <p>Both waits spin for {@link #SPIN_NANOS} before parking, so a short script costs no trip
 * through the scheduler; the busy check is unchanged (the hook still wakes a parked or spinning
 * command thread through {@code run.timedOut}).
 */
final class ScriptThread {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScriptThread.class);

    /**
     * How long each side of the handoff spins before it parks: the command thread waiting for a run,
     * the script thread waiting for the next one. A small script (INCR + EXPIRE) takes microseconds,
     * far less than a park/unpark round trip through the scheduler, and on a box with few cores the
     * wakeup latency dominated EVAL (bench/scripting.sh: 7-8k ops/s parking at once, ~10k at -P 1 and
     * ~27k at -P 16 with 50 µs; 200 µs was worse again, as the spinning starves the event loop).
     * System property {@code rookery.lua.spinNanos} (0 parks at once) exists to repeat that
     * measurement.
     */
    static final long SPIN_NANOS = Long.getLong("rookery.lua.spinNanos", 50_000L);

    /** One step of a bounded spin: the clock is read only every 64 steps. */
    private static boolean keepSpinning(int spins, long until) {
        return (spins & 63) != 0 || System.nanoTime() < until;
    }

    private final Supplier<Executor> commandThread;
    private final Thread thread;
    private volatile Job job;

    /** One run handed to the script thread. */
    private static final class Job {
        final Supplier<RespValue> body;
        final ScriptRun run;
        final Thread waiter;
        volatile RespValue result;
        volatile boolean done;
        /** Set once the command thread stopped waiting: the completion goes through {@link #late}. */
        volatile Consumer<RespValue> late;

        Job(Supplier<RespValue> body, ScriptRun run, Thread waiter) {
            this.body = body;
            this.run = run;
            this.waiter = waiter;
        }
    }

    ScriptThread(Supplier<Executor> commandThread) {
        this.commandThread = commandThread;
        this.thread = new Thread(null, this::loop, "rookery-lua", 64L * 1024 * 1024);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Runs {@code body} on the script thread. Returns its reply, or null when the run timed out
     * first ({@code detachable} runs only); then {@code late} receives the reply on the command thread.
     */
    RespValue run(ScriptRun run, Supplier<RespValue> body, boolean detachable, long thresholdMillis,
            Consumer<RespValue> late) {
        Job j = new Job(body, run, Thread.currentThread());
        run.ticker = () -> {
            if (detachable && !run.timedOut && thresholdMillis > 0 && run.elapsedMillis() >= thresholdMillis) {
                run.timedOut = true; // from now on this thread leaves the node alone
                LockSupport.unpark(j.waiter);
            }
        };
        job = j;
        LockSupport.unpark(thread);
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (!j.done && !run.timedOut) {
            if (keepSpinning(++spins, spinUntil)) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        if (j.done) {
            return j.result;
        }
        j.late = late;
        if (j.done) { // finished between the two checks: complete through the queue all the same
            deliver(j);
        }
        return null;
    }

    /**
     * Runs {@code task} where the node's state may be touched: directly while the command thread
     * waits for the script, on the command thread once the run timed out.
     */
    <T> T onNode(ScriptRun run, Supplier<T> task) {
        if (run == null || !run.timedOut || Thread.currentThread() != thread) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        commandThread.get().execute(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.join();
    }

    private void loop() {
        long spinUntil = 0;
        int spins = 0;
        while (true) {
            Job j = job;
            if (j == null) {
                if (keepSpinning(++spins, spinUntil)) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            job = null;
            RespValue result;
            try {
                result = j.body.get();
            } catch (Throwable t) {
                LOG.error("script failed", t);
                result = new RespValue.Error("ERR internal error running the script: " + t);
            }
            j.result = result;
            j.done = true;
            if (j.late != null) {
                deliver(j);
            } else {
                LockSupport.unpark(j.waiter);
            }
            spinUntil = System.nanoTime() + SPIN_NANOS;
            spins = 0;
        }
    }

    private void deliver(Job j) {
        Consumer<RespValue> late;
        synchronized (j) {
            late = j.late;
            if (late == null) {
                return;
            }
            j.late = null;
        }
        RespValue result = j.result;
        try {
            commandThread.get().execute(() -> late.accept(result));
        } catch (RuntimeException e) {
            LOG.debug("script finished after the node stopped", e);
        }
    }
}
