package io.rookery.admin.cluster;

import io.rookery.protocol.RespValue;
import io.rookery.protocol.client.RespClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link NodeLink} on protocol's asynchronous {@link RespClient}: the admin service's shared event
 * loop writes the commands and completes the replies, so any number of connections cost two threads,
 * and a dropped connection is noticed (and reopened) before the next command.
 */
final class EventLoopLink implements NodeLink {
    private final RespClient client;

    EventLoopLink(RespClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<RespValue> send(byte[][] args) {
        return client.send(args);
    }

    @Override
    public List<CompletableFuture<RespValue>> sendAll(List<byte[][]> commands) {
        return client.sendAll(commands);
    }

    @Override
    public boolean isClosed() {
        return client.isClosed();
    }

    @Override
    public void close() {
        client.close();
    }
}
