package io.rookery.protocol;

/**
 * A request or reply that breaks the protocol. The message is Redis's text after {@code ERR }, such as
 * {@code Protocol error: invalid bulk length}; the server answers it and then closes the connection.
 */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
