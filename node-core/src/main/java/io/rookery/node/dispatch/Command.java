package io.rookery.node.dispatch;

import io.rookery.protocol.command.CommandSpec;

/** A command as the node runs it: its spec from the table, its handler and its INFO commandstats. */
public final class Command {
    private final CommandSpec spec;
    private final CommandHandler handler;
    long calls;
    long micros;
    long rejectedCalls;
    long failedCalls;

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

    /**
     * Counts a call refused before its handler ran by someone other than the gate: a script's
     * redis.call refused for the node's state or the script's flags (Redis's ERROR_COMMAND_REJECTED).
     */
    public void countRejected() {
        rejectedCalls++;
    }

    void resetStats() {
        calls = 0;
        micros = 0;
        rejectedCalls = 0;
        failedCalls = 0;
    }
}
