package io.rookery.protocol.tracking;

/**
 * A refused client-side caching subcommand: {@link #getMessage()} is redis-server 7.0's error reply,
 * word for word and with its prefix ("ERR ..."). The node and the gateway write it as the reply.
 * Stackless: a refused option is an answer, not a fault.
 */
public final class TrackingCommandError extends RuntimeException {
    public TrackingCommandError(String message) {
        super(message, null, false, false);
    }
}
