package io.rookery.node.scripting;

import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.protocol.RespValue;
import java.util.function.Supplier;

/**
 * Runs one EVAL or FCALL for a client on the {@link ScriptThread} (a bounded script on the command
 * thread itself) and replies: at once when it
 * finishes within busy-reply-threshold, later (from the command thread, the caller's input held
 * back meanwhile) when it ran longer. Keeps the run other clients are told BUSY about.
 */
final class ScriptRunner {
    private final Dispatcher dispatcher;
    private final NodeConfig config;
    private final ScriptCommandRunner commands;
    private final ScriptThread thread;
    /** The run past the threshold, or null: other clients get BUSY while it is set. */
    private volatile ScriptRun busy;
    private volatile ScriptRun running;

    ScriptRunner(Dispatcher dispatcher, NodeConfig config, ScriptCommandRunner commands, ScriptThread thread) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.commands = commands;
        this.thread = thread;
    }

    ScriptRun busy() {
        return busy;
    }

    ScriptRun running() {
        return running;
    }

    void run(Client c, ScriptRun run, Supplier<RespValue> body) {
        commands.begin(c);
        boolean detachable = !c.inExec && !c.inMulti && !(c.connection() instanceof DetachedConnection);
        running = run;
        RespValue reply = thread.run(run, body, detachable, config.busyReplyThresholdMillis, late -> finish(c, run, late));
        if (reply == null) {
            // timed out: the caller waits without blocking the node; others get BUSY
            busy = run;
            c.blocked = true;
            c.connection().suspendInput();
            org.slf4j.LoggerFactory.getLogger(ScriptRunner.class).warn(
                    "Slow script detected: still in execution after {} milliseconds. You can try killing the script using the {} command. Script name is: {}.",
                    run.elapsedMillis(), run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL", run.name);
            dispatcher.propagation().suppress();
            return;
        }
        running = null;
        c.errorReplyCounted = run.errorCounted && reply instanceof RespValue.Error;
        LuaReplies.write(c.reply(), reply);
        dispatcher.propagation().suppress(); // the effects propagated themselves
    }

    /**
     * Runs a bounded script ({@link BoundedChunk}) on the command thread itself and replies: it
     * cannot reach the busy check, so the handoff to the script thread would only cost time. Should
     * the count hook fire all the same, the run just goes on (it is atomic either way) and the
     * script is logged.
     */
    void runInline(Client c, ScriptRun run, Supplier<RespValue> body) {
        commands.begin(c);
        running = run;
        run.ticker = () -> {
            if (!run.inlineOverrun) {
                run.inlineOverrun = true;
                org.slf4j.LoggerFactory.getLogger(ScriptRunner.class).warn(
                        "Script {} ran past the count hook on the command thread; it was judged bounded", run.name);
            }
        };
        RespValue reply;
        try {
            reply = body.get();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ScriptRunner.class).error("script failed", e);
            reply = new RespValue.Error("ERR internal error running the script: " + e);
        } finally {
            running = null;
        }
        c.errorReplyCounted = run.errorCounted && reply instanceof RespValue.Error;
        LuaReplies.write(c.reply(), reply);
        dispatcher.propagation().suppress(); // the effects propagated themselves
    }

    /** The end of a run that timed out, on the command thread. */
    private void finish(Client c, ScriptRun run, RespValue reply) {
        busy = null;
        running = null;
        dispatcher.propagation().flush();
        c.blocked = false;
        if (!c.closing) {
            LuaReplies.write(c.reply(), reply);
            c.connection().flush();
            c.connection().resumeInput();
        }
    }
}
