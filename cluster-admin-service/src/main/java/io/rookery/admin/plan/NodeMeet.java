package io.rookery.admin.plan;

/**
 * {@code CLUSTER MEET host port busPort} sent to node {@code nodeId}: introduces the node at {@code host:port} to
 * it. Create introduces every node to the first; add-node introduces the new node to an existing member.
 */
public record NodeMeet(String nodeId, String host, int port, int busPort) {
}
