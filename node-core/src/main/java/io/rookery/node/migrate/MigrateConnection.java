package io.rookery.node.migrate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One blocking connection from MIGRATE to a target server, as Redis's migrate socket: every write and
 * read waits at most the command's timeout (a {@link SocketTimeoutException} then), and replies are read
 * one line at a time, at most 1024 bytes each, which is all RESTORE, AUTH and SELECT ever answer.
 * It remembers the database last selected on it, so a following MIGRATE to the same db skips SELECT.
 */
public final class MigrateConnection implements AutoCloseable {
    private static final int MAX_LINE = 1024;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    long lastDb = -1;
    long lastUseSeconds;

    private MigrateConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    static MigrateConnection open(String host, int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setTcpNoDelay(true);
            return new MigrateConnection(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The database the target has selected on this connection, -1 when unknown. */
    public long lastDb() {
        return lastDb;
    }

    public void lastDb(long db) {
        this.lastDb = db;
    }

    /** Writes all of each of {@code parts}, in order, in 64 KiB chunks, each within {@code timeoutMillis}. */
    public void write(int timeoutMillis, byte[]... parts) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        for (byte[] bytes : parts) {
            for (int pos = 0; pos < bytes.length; pos += 64 * 1024) {
                out.write(bytes, pos, Math.min(64 * 1024, bytes.length - pos));
            }
        }
        out.flush();
    }

    /** One reply line without its CRLF; an IOException when the target closes or stays silent too long. */
    public String readLine(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed by the target");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a dead connection: nothing left to do
        }
    }
}
