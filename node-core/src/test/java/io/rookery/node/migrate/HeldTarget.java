package io.rookery.node.migrate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A MIGRATE target that records what it receives and answers only what the test tells it to, on the
 * one connection it accepts; {@link #hangUp} closes that connection, as a target that goes away does.
 */
final class HeldTarget implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile Socket socket;
    private final Thread reader;

    HeldTarget() throws IOException {
        reader = new Thread(this::readAll, "held-target");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            socket = server.accept();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (received) {
                    received.write(buf, 0, n);
                }
            }
        } catch (IOException closed) {
            // the test ended
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    void answer(String replies) throws IOException {
        socket.getOutputStream().write(replies.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Closes the accepted connection (the source sees EOF on its next read); no further one is accepted. */
    void hangUp() throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (socket != null) {
            socket.close();
        }
    }
}
