package io.rookery.node.support;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.NodeConfig;

/** A node for crash tests, run in a child JVM: java ... CrashNode port dir appendfsync. */
public final class CrashNode {
    private CrashNode() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig c = new NodeConfig();
        c.load("bind", "127.0.0.1");
        c.load("port", args[0]);
        c.load("dir", args[1]);
        c.load("save", "");
        c.load("appendonly", "yes");
        c.load("appendfsync", args[2]);
        new RookeryNode(c).start();
        System.out.println("READY");
        Thread.currentThread().join();
    }
}
