package io.rookery.sentinel;

import io.rookery.protocol.RespValue;
import io.rookery.protocol.client.RespClient;
import java.util.function.Consumer;

/**
 * The connections to one monitored instance and the timings failure detection reads: a command
 * connection, and for primaries and replicas a pub/sub connection subscribed to the hello channel.
 * Sentinels that watch several primaries share one link per peer sentinel (reference counted), so five
 * sentinels watching a hundred primaries hold five links, not five hundred, and send five PINGs.
 */
final class InstanceLink {
    int refcount = 1;
    /** True while either needed connection is missing: the timer reconnects. */
    boolean disconnected = true;
    /** Commands sent on {@link #commands} whose replies have not arrived. */
    int pendingCommands;
    RespClient commands;
    RespClient pubsub;
    long commandsConnectedAt;
    long pubsubConnectedAt;
    /** Last message of any kind on the pub/sub connection (our own hellos come back too). */
    long pubsubLastActivity;
    /** Last time the instance answered PING acceptably (PONG, LOADING, MASTERDOWN). */
    long lastAvailable;
    /** When the oldest unanswered PING was sent; 0 once answered. Down-detection measures from it. */
    long activePingSince;
    long lastPingSent;
    /** Last reply to PING of any kind: a link that gets none is idle and reconnected. */
    long lastPongReceived;
    long lastReconnectAttempt;

    InstanceLink(long now) {
        // measured from creation even before a connection exists, so an instance that is never
        // reachable is still detected down
        activePingSince = now;
        lastAvailable = now;
        lastPongReceived = now;
    }

    /**
     * Sends a command on the command connection; {@code onReply} runs with its reply unless the
     * connection was dropped or replaced first. False (nothing sent) when there is no connection.
     */
    boolean send(Consumer<RespValue> onReply, String... args) {
        RespClient via = commands;
        if (via == null) {
            return false;
        }
        pendingCommands++;
        via.send(args).whenComplete((reply, failure) -> {
            if (failure != null || via != commands) {
                return; // the connection is gone; its count was reset with it
            }
            pendingCommands--;
            onReply.accept(reply);
        });
        return true;
    }

    /** Closes one of the connections (commands or pub/sub) and marks the link for reconnection. */
    void close(RespClient connection) {
        if (connection == null) {
            return;
        }
        if (connection == commands) {
            commands = null;
            pendingCommands = 0;
        }
        if (connection == pubsub) {
            pubsub = null;
        }
        disconnected = true;
        connection.close();
    }

    void closeAll() {
        close(commands);
        close(pubsub);
    }

    /** The connection {@code connection} closed by itself: forget it so the timer reconnects. */
    void lost(RespClient connection) {
        if (connection == commands) {
            commands = null;
            disconnected = true;
        } else if (connection == pubsub) {
            pubsub = null;
            disconnected = true;
        }
    }
}
