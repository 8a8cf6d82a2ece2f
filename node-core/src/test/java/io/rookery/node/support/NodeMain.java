package io.rookery.node.support;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;

/**
 * The main class {@link NodeProcess} runs in a child JVM: {@code java ... NodeMain name value ...}
 * loads each directive pair into a fresh config, starts a node, prints READY and serves until killed.
 * A start-up failure propagates out of main, so the JVM exits non-zero with the reason on stderr.
 */
public final class NodeMain {
    public static final String READY = "READY";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig c = new NodeConfig();
        for (int i = 0; i + 1 < args.length; i += 2) {
            c.load(args[i], args[i + 1]);
        }
        new RookeryNode(c).start();
        System.out.println(READY);
        Thread.currentThread().join();
    }
}
