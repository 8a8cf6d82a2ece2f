package io.rookery.node.server;

import io.netty.channel.EventLoop;
import io.rookery.node.config.NodeConfig;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONFIG SET port and CONFIG SET bind on a running node: the RESP listeners move to the new port or
 * addresses ({@link RespServer#rebind}), connections already made stay. When the new listeners
 * cannot be bound the change is vetoed with Redis 7.0's error text (the config keeps its old value,
 * the old listeners keep accepting) and the reason is logged, as Redis logs it.
 */
public final class ListenerRebinding {
    static final String PORT_FAILED = "Unable to listen on this port. Check server logs.";
    static final String BIND_FAILED = "Failed to bind to specified addresses.";
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRebinding.class);

    private final NodeConfig config;
    private final RespServer server;
    private final ServerContext context;
    private final EventLoop commandLoop;
    private final IntConsumer boundPort;
    private volatile int port;
    private volatile java.util.List<String> bind;

    private ListenerRebinding(NodeConfig config, RespServer server, ServerContext context, EventLoop commandLoop,
                              int port, IntConsumer boundPort) {
        this.config = config;
        this.server = server;
        this.context = context;
        this.commandLoop = commandLoop;
        this.port = port;
        this.bind = config.bind;
        this.boundPort = boundPort;
    }

    /**
     * Starts following {@code port} and {@code bind} for a server now listening on {@code port};
     * {@code boundPort} learns the port after each move.
     */
    public static void register(NodeConfig config, RespServer server, ServerContext context, EventLoop commandLoop,
                                int port, IntConsumer boundPort) {
        ListenerRebinding r = new ListenerRebinding(config, server, context, commandLoop, port, boundPort);
        config.onChange("port", c -> r.apply(PORT_FAILED));
        config.onChange("bind", c -> r.apply(BIND_FAILED));
    }

    private void apply(String failure) {
        if (config.port == port && config.bind.equals(bind)) {
            return;
        }
        if (commandLoop.inEventLoop()) {
            move(failure);
        } else {
            CompletableFuture.runAsync(() -> move(failure), commandLoop).join();
        }
    }

    private void move(String failure) {
        try {
            int bound = server.rebind(config.bind, config.port, config.tcpBacklog, context);
            port = bound;
            bind = config.bind;
            if (config.port == 0) {
                config.port = bound;
            }
            boundPort.accept(bound);
            LOG.info("Listening on port {} ({})", bound, String.join(" ", bind));
        } catch (IllegalStateException e) {
            LOG.warn("{}", e.getMessage());
            throw new IllegalStateException(failure, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(failure, e);
        }
    }
}
