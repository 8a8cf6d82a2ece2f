package io.rookery.protocol.cluster.bus;

/**
 * A cluster bus frame that breaks the layout (bad signature, version, or a length that disagrees with
 * the content). Redis drops such a message, and for a bad signature or header length frees the link;
 * the receiver does the same and never lets it reach the node's state.
 */
public final class MalformedBusMessageException extends Exception {
    public MalformedBusMessageException(String message) {
        super(message, null, false, false);
    }
}
