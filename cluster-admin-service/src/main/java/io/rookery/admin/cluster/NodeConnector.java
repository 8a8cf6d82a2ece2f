package io.rookery.admin.cluster;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.rookery.protocol.client.RespClient;
import java.time.Duration;

/**
 * Opens {@link NodeConnection}s: one small event-loop group shared by every connection the admin
 * service makes, a connect timeout, a reply timeout, and AUTH with the cluster's credentials before
 * the connection is handed out (so a wrong password fails here, naming the node, never showing it).
 */
public final class NodeConnector implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(2, r -> {
        Thread t = new Thread(r, "admin-resp");
        t.setDaemon(true);
        return t;
    });
    private final Duration timeout;

    public NodeConnector(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    public NodeConnection open(NodeAddress address, Credentials credentials) {
        RespClient client = RespClient.connect(group, NioSocketChannel.class, address.host(), address.port(),
                (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return authenticated(new NodeConnection(address, new EventLoopLink(client), timeout), credentials);
    }

    /**
     * A connection on a blocking socket that the waiting thread reads itself (see {@link SocketLink}),
     * for one task's many round trips (a job's slot moves); the caller closes it. It notices a node
     * that went away only at its next command, so it is not pooled for long.
     */
    public NodeConnection openDirect(NodeAddress address, Credentials credentials) {
        SocketLink link = SocketLink.connect(address.host(), address.port(), (int) Math.min(Integer.MAX_VALUE,
                timeout.toMillis()));
        return authenticated(new NodeConnection(address, link, timeout), credentials);
    }

    private static NodeConnection authenticated(NodeConnection c, Credentials credentials) {
        if (credentials.present()) {
            try {
                if (credentials.user() != null) {
                    c.call("AUTH", credentials.user(), credentials.password());
                } else {
                    c.call("AUTH", credentials.password());
                }
            } catch (NodeCommandException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
