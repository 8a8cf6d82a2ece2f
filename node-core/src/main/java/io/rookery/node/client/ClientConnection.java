package io.rookery.node.client;

/**
 * The transport under a {@link Client}, as the engine sees it. Implemented by the Netty server; the
 * engine never touches sockets directly.
 */
public interface ClientConnection {
    /** "ip:port" of the peer. */
    String remoteAddress();

    /** "ip:port" of our side. */
    String localAddress();

    boolean isLoopback();

    /**
     * CLIENT LIST's fd: the socket's file descriptor when the transport exposes it (epoll), else a
     * number unique to this connection; -1 for a connection without a socket (AOF loading, scripts).
     */
    default int fd() {
        return -1;
    }

    /** Sends the client's pending output now. */
    void flush();

    /** Sends the client's pending output after the current batch (for writes caused by other clients). */
    void flushSoon();

    /** Flushes pending output, then closes. */
    void closeAfterFlush();

    /** Closes at once, dropping pending output. */
    void close();

    /** Bytes written but not yet accepted by the socket. */
    long pendingOutputBytes();

    /** Stops reading requests (paused or blocked client); input stays buffered. */
    void suspendInput();

    /** Resumes reading and processes any requests already buffered. */
    void resumeInput();
}
