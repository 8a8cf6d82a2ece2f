package io.rookery.admin.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RespReader;
import io.rookery.protocol.RespValue;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link NodeLink} on a blocking socket whose replies are read by the thread that waits for them, as
 * redis-cli reads its own: a round trip then wakes one thread (the waiting one, when the reply arrives)
 * where the event loop wakes three (the loop to write, the loop to read, the waiter). On a busy
 * machine each wake-up can wait for a core, so a slot move's dozen round trips go faster this way.
 *
 * <p>Commands are written at once (several threads may send; writes and the queue of replies due
 * keep one order under one lock). A reply is read when someone waits for it: {@code get} on its future
 * reads the socket, under a second lock, completing the replies due before it on the way. The link
 * notices a closed connection only when it reads, so it suits connections that live for one task (a
 * job's run), not a long-lived pool.
 */
final class SocketLink implements NodeLink {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Reply> due = new ConcurrentLinkedQueue<>();
    private final RespReader reader = new RespReader();
    private final ByteBuf input = Unpooled.buffer(16 * 1024);
    private final byte[] chunk = new byte[64 * 1024];
    private volatile Throwable failure;

    private SocketLink(Socket socket, Throwable failure) throws IOException {
        this.socket = socket;
        this.failure = failure;
        this.in = failure == null ? socket.getInputStream() : InputStream.nullInputStream();
        this.out = failure == null ? new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)
                : OutputStream.nullOutputStream();
    }

    /** Connects now; a node that can't be reached gives a link whose every reply fails with the cause. */
    static SocketLink connect(String host, int port, int connectTimeoutMillis) {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return new SocketLink(s, null);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket that never connected
            }
            try {
                return new SocketLink(s, e);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    @Override
    public CompletableFuture<RespValue> send(byte[][] args) {
        return sendAll(List.<byte[][]>of(args)).get(0);
    }

    @Override
    public List<CompletableFuture<RespValue>> sendAll(List<byte[][]> commands) {
        List<CompletableFuture<RespValue>> replies = new ArrayList<>(commands.size());
        synchronized (writeLock) {
            try {
                for (byte[][] c : commands) {
                    Reply r = new Reply();
                    replies.add(r);
                    if (failure != null) {
                        r.completeExceptionally(failure);
                        continue;
                    }
                    due.add(r);
                    out.write(encode(c));
                }
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
        return replies;
    }

    @Override
    public boolean isClosed() {
        return failure != null;
    }

    @Override
    public void close() {
        fail(new ClosedChannelException());
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
        for (Reply r; (r = due.poll()) != null; ) {
            r.completeExceptionally(failure);
        }
    }

    /**
     * Reads replies until {@code wanted} has its own, or the deadline passes (false). One thread reads
     * at a time; another one waiting meanwhile is woken when the reader completes its reply, or takes
     * over the reading once the reader has what it wanted.
     */
    private boolean readUntil(Reply wanted, long deadlineNanos) throws InterruptedException {
        while (!wanted.isDone()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (!readLock.tryLock()) {
                wanted.awaitDone(Math.min(left, TimeUnit.MILLISECONDS.toNanos(2)));
                continue;
            }
            try {
                if (!readSome(wanted, deadlineNanos)) {
                    return false;
                }
            } finally {
                readLock.unlock();
            }
        }
        return true;
    }

    /** With the read lock: reads until {@code wanted} is done (true) or the deadline passes (false). */
    private boolean readSome(Reply wanted, long deadlineNanos) {
        try {
            while (!wanted.isDone()) {
                RespValue v = reader.read(input);
                if (v != null) {
                    Reply r = due.poll();
                    if (r != null) {
                        r.complete(v);
                    }
                    continue;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    return false;
                }
                if (n < 0) {
                    throw new EOFException("connection closed by the node");
                }
                input.discardReadBytes();
                input.writeBytes(chunk, 0, n);
            }
            return true;
        } catch (IOException | ProtocolException e) {
            fail(e);
            return true;
        }
    }

    private static byte[] encode(byte[][] args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(32 + args.length * 16);
        header(b, '*', args.length);
        for (byte[] a : args) {
            header(b, '$', a.length);
            b.writeBytes(a);
            b.write('\r');
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static void header(ByteArrayOutputStream b, char type, int n) {
        b.write(type);
        b.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        b.write('\r');
        b.write('\n');
    }

    /** A reply due: waiting for it (with a timeout) reads the socket. */
    private final class Reply extends CompletableFuture<RespValue> {
        @Override
        public RespValue get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException,
                TimeoutException {
            if (!isDone() && !readUntil(this, System.nanoTime() + unit.toNanos(timeout))) {
                throw new TimeoutException();
            }
            return super.get(0, TimeUnit.NANOSECONDS);
        }

        /** Waits up to {@code nanos} for another thread to complete this reply. */
        void awaitDone(long nanos) throws InterruptedException {
            try {
                super.get(nanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // not yet, or failed: the caller looks again
            }
        }

        @Override
        public RespValue get() throws InterruptedException, ExecutionException {
            try {
                return get(Long.MAX_VALUE / 4, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
