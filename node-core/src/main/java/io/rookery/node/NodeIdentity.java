package io.rookery.node;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who this node is to the outside: its run id (INFO run_id, a fresh one per process as in Redis), when
 * it started, and the RESP port it listens on (known once bound; the replication handshake and INFO
 * announce it).
 */
public final class NodeIdentity {
    private final String runId;
    private final long startMillis = System.currentTimeMillis();
    private volatile int port;

    public NodeIdentity() {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
    }

    public String runId() {
        return runId;
    }

    public long startMillis() {
        return startMillis;
    }

    /** The bound RESP port; 0 before the node is started. */
    public int port() {
        return port;
    }

    void bound(int port) {
        this.port = port;
    }
}
