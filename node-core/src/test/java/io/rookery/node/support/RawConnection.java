package io.rookery.node.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RespReader;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/** A bare RESP connection that returns each reply's exact bytes, for byte-for-byte comparisons. */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf buffer = Unpooled.buffer();
    private final RespReader reader = new RespReader();

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The port this connection reached. */
    public int port() {
        return socket.getPort();
    }

    public void send(List<byte[]> args) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(('*' + Integer.toString(args.size()) + "\r\n").getBytes());
        for (byte[] a : args) {
            b.write(('$' + Integer.toString(a.length) + "\r\n").getBytes());
            b.write(a);
            b.write("\r\n".getBytes());
        }
        out.write(b.toByteArray());
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next whole reply's bytes; null when the server closed the connection. */
    public byte[] readReplyBytes() throws IOException {
        while (true) {
            int start = buffer.readerIndex();
            try {
                RespValue v = reader.read(buffer);
                if (v != null) {
                    byte[] bytes = new byte[buffer.readerIndex() - start];
                    buffer.getBytes(start, bytes);
                    buffer.discardReadBytes();
                    return bytes;
                }
            } catch (ProtocolException e) {
                throw new IOException(e);
            }
            byte[] chunk = new byte[8192];
            int n = in.read(chunk);
            if (n < 0) {
                return null;
            }
            buffer.writeBytes(chunk, 0, n);
        }
    }

    public RespValue readReply() throws IOException {
        byte[] bytes = readReplyBytes();
        if (bytes == null) {
            return null;
        }
        try {
            return new RespReader().read(Unpooled.wrappedBuffer(bytes));
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** Sends a command and reads its reply. */
    public RespValue call(String... args) throws IOException {
        send(java.util.Arrays.stream(args).map(String::getBytes).toList());
        return readReply();
    }

    /** Whether bytes from the server are here already, read or not, without waiting for any. */
    public boolean hasInputNow() throws IOException {
        return buffer.isReadable() || in.available() > 0;
    }

    public boolean isClosedByPeer() throws IOException {
        socket.setSoTimeout(2000);
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        buffer.release();
    }
}
