package io.rookery.node;

import io.netty.channel.EventLoop;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.persistence.Persistence;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * AOF group commit: while the AOF is on, the replies of every connection that read in one event-loop
 * iteration wait for one AOF write (and one fsync under {@code appendfsync always}); then they are
 * flushed together. Under {@code always}, a connection whose writes could not be made durable is
 * closed instead: nothing that is not on disk is acknowledged.
 */
final class AofGroupCommit {
    private final NodeConfig config;
    private final Persistence persistence;
    private final EventLoop loop;
    private final Set<ClientConnection> deferred = new LinkedHashSet<>();
    private boolean flushScheduled;

    AofGroupCommit(NodeConfig config, Persistence persistence, EventLoop loop) {
        this.config = config;
        this.persistence = persistence;
        this.loop = loop;
    }

    /** Takes {@code connection}'s flush into this iteration's group; false (flush now) while the AOF is off. */
    boolean defer(ClientConnection connection) {
        if (!persistence.aofOn()) {
            return false;
        }
        deferred.add(connection);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::commit); // runs after the reads of this loop iteration
        }
        return true;
    }

    /** Makes the AOF durable ahead of replies; false when it could not be (the replies must not go out). */
    boolean beforeReplies() {
        return persistence.flushAof() || !config.appendfsync.equals("always");
    }

    void forget(ClientConnection connection) {
        deferred.remove(connection);
    }

    /** One AOF write (and fsync under always) for every connection that read this iteration, then their replies. */
    private void commit() {
        flushScheduled = false;
        boolean durable = beforeReplies();
        for (ClientConnection c : deferred) {
            if (durable) {
                c.flush();
            } else {
                c.close();
            }
        }
        deferred.clear();
    }
}
