package io.rookery.admin.cluster;

import io.rookery.protocol.RespValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link NodeConnection}'s commands reach its node and the replies come back, in order: through
 * the shared event loop ({@link EventLoopLink}) or a socket the waiting thread reads itself
 * ({@link SocketLink}). A lost connection fails the replies still due; an error reply is a
 * {@link RespValue.Error}, not a failure.
 */
interface NodeLink {
    CompletableFuture<RespValue> send(byte[][] args);

    /** Every command in one write; the futures complete in order. */
    List<CompletableFuture<RespValue>> sendAll(List<byte[][]> commands);

    boolean isClosed();

    void close();
}
