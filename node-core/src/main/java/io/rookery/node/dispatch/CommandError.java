package io.rookery.node.dispatch;

/**
 * An error reply raised from anywhere inside a handler; the dispatcher writes {@link #getMessage()}
 * (which starts with Redis's prefix, "ERR ..." or "WRONGTYPE ...") as the reply. Stackless: cheap.
 */
public final class CommandError extends RuntimeException {
    public CommandError(String message) {
        super(message, null, false, false);
    }
}
