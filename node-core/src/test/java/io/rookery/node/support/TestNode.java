package io.rookery.node.support;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import java.util.function.Consumer;

/**
 * A node on an ephemeral loopback port, for wire tests. Close it to stop it. {@link RookeryNode#start}
 * loads the data before it binds, so a started node serves at once (no LOADING phase to wait out,
 * unlike a real redis-server: see {@link RealRedis}).
 */
public final class TestNode implements AutoCloseable {
    private final RookeryNode node;
    private final int port;

    private TestNode(RookeryNode node, int port) {
        this.node = node;
        this.port = port;
    }

    public static TestNode start() {
        return start(c -> { });
    }

    public static TestNode start(Consumer<NodeConfig> customize) {
        NodeConfig config = new NodeConfig();
        try {
            config.load("bind", "127.0.0.1");
            config.load("port", "0");
            config.load("save", "");
            config.load("repl-diskless-sync-delay", "0"); // tests need not wait for more replicas to join
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
        customize.accept(config);
        RookeryNode node = new RookeryNode(config);
        try {
            return new TestNode(node, node.start());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public RookeryNode node() {
        return node;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        node.stop();
    }

    /** Standalone launcher for manual poking: java ... TestNode [port]. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7777;
        TestNode n = start(c -> {
            try {
                c.load("port", Integer.toString(port));
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.println("listening on " + n.port());
        Thread.currentThread().join();
    }
}
