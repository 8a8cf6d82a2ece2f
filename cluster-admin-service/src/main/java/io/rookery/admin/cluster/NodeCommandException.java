package io.rookery.admin.cluster;

/**
 * A command a node refused (its error reply, verbatim, e.g. {@code BUSYKEY Target key name already
 * exists.}) or could not answer (connection lost, timed out). The message names the node.
 */
public class NodeCommandException extends RuntimeException {
    private final NodeAddress node;
    private final String reply;

    public NodeCommandException(NodeAddress node, String reply, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
        this.reply = reply;
    }

    /** The node's error reply; null when the node did not answer at all. */
    public String reply() {
        return reply;
    }

    public NodeAddress node() {
        return node;
    }

    public boolean replyStartsWith(String prefix) {
        return reply != null && reply.startsWith(prefix);
    }
}
