package io.rookery.node.dispatch;

import io.rookery.node.latency.CommandLatencyHistogram;
import io.rookery.protocol.command.CommandSpec;

/** A command as the node runs it: its spec from the table, its handler and its INFO commandstats. */
public final class Command {
    private final CommandSpec spec;
    private final CommandHandler handler;
    long calls;
    long micros;
    long rejectedCalls;
    long failedCalls;
    private CommandLatencyHistogram latency; // created at the first tracked call, as Redis does

    Command(CommandSpec spec, CommandHandler handler) {
        this.spec = spec;
        this.handler = handler;
    }

    public CommandSpec spec() {
        return spec;
    }

    public CommandHandler handler() {
        return handler;
    }

    public long calls() {
        return calls;
    }

    public long micros() {
        return micros;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    /** The latency distribution of this command's calls since the last CONFIG RESETSTAT, or null if none. */
    public CommandLatencyHistogram latencyHistogram() {
        return latency;
    }

    void recordLatency(long nanos) {
        if (latency == null) {
            latency = new CommandLatencyHistogram();
        }
        latency.record(nanos);
    }

    /**
     * Counts a call refused before its handler ran by someone other than the gate: a script's
     * redis.call refused for the node's state or the script's flags (Redis's ERROR_COMMAND_REJECTED).
     */
    public void countRejected() {
        rejectedCalls++;
    }

    void resetStats() {
        latency = null;
        calls = 0;
        micros = 0;
        rejectedCalls = 0;
        failedCalls = 0;
    }
}
