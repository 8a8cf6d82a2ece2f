package io.rookery.node.server;

import io.netty.buffer.ByteBufAllocator;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.protocol.ProtocolLimits;

/** What the network layer needs from the node: admission, the gate, and client bookkeeping. */
public interface ServerContext {
    NodeConfig config();

    ProtocolLimits protocolLimits();

    /** Null to accept the connection, or a full RESP error line to send before closing it. */
    String admit(ClientConnection connection);

    Client connected(ClientConnection connection, ByteBufAllocator allocator);

    void dispatch(Client client, byte[][] args);

    void disconnected(Client client);

    /** Closes a client whose pending output passed its class's limit. */
    void checkOutputLimits(Client client);

    void log(String message);

    /**
     * Offers to flush {@code connection}'s replies later, together with every other connection of
     * this event-loop iteration after one AOF write (group commit); false to flush now.
     */
    boolean deferFlush(ClientConnection connection);

    /**
     * Runs before a client's replies are written: durable state (the AOF) and the invalidations of
     * client-side caches must be ahead of them. False when it could not be made durable; the replies
     * must then not be sent.
     */
    boolean beforeReplies();

    /** Counts bytes read from and written to clients (INFO total_net_*_bytes). */
    void traffic(long inBytes, long outBytes);

    /**
     * Whether a client may send a bulk of {@code length} bytes (at least
     * {@link io.rookery.protocol.RequestDecoder#BIG_BULK}): false when memory cannot hold it, and the
     * request is then answered with an OOM error instead of being read into memory.
     */
    default boolean admitsBulk(long length) {
        return true;
    }
}
