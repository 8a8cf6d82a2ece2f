package io.rookery.node.client;

/**
 * The connection of an internal client with no socket (the AOF loader, a replica applying its
 * primary's stream): replies are produced and dropped, nothing is ever flushed or closed.
 */
public final class DetachedConnection implements ClientConnection {
    private final String name;

    public DetachedConnection(String name) {
        this.name = name;
    }

    @Override
    public String remoteAddress() {
        return name + ":0";
    }

    @Override
    public String localAddress() {
        return name + ":0";
    }

    @Override
    public boolean isLoopback() {
        return true;
    }

    @Override
    public void flush() {
    }

    @Override
    public void flushSoon() {
    }

    @Override
    public void closeAfterFlush() {
    }

    @Override
    public void close() {
    }

    @Override
    public long pendingOutputBytes() {
        return 0;
    }

    @Override
    public void suspendInput() {
    }

    @Override
    public void resumeInput() {
    }
}
