package io.rookery.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * One pipelined connection to a backend node, owned by one event loop. Requests are encoded into an
 * outbound buffer and written in one go when the loop flushes ({@link Flushable}); replies are framed
 * ({@link ReplyFramer}) and handed, byte for byte, to the receiver of the oldest request, since a node
 * answers in order.
 *
 * <p>A shared link carries the requests of every client of its loop (Envoy's per-worker connection
 * pool); a dedicated one serves one client at a time (blocking commands, WATCH) or, in passthrough
 * mode, forwards every frame to one receiver (pub/sub). When the link closes, fails to connect, or
 * leaves its oldest request unanswered past its deadline, every waiting request is answered with an
 * error: the gateway never guesses a reply.
 *
 * <p>On connect the link authenticates ({@code AUTH}, or {@code HELLO 3 AUTH ...} for a RESP3 link)
 * before any request, in the same write.
 */
final class BackendLink extends ChannelInboundHandlerAdapter implements Flushable {
    private static final byte[] CRLF = {'\r', '\n'};

    final String address;
    final int protocol;
    final boolean dedicated;
    /** A link to a replica that reads: READONLY is sent in the handshake. */
    final boolean readonly;
    private final LoopBackends owner;
    /** This loop's timing of the requests answered on this link. */
    final GatewayStats.Shard timing;
    private final WaitingRequests pending = new WaitingRequests();
    private Channel channel;
    private boolean active;
    private boolean closed;
    private boolean dirty;
    private ByteBuf outbound;
    private ByteBuf input;
    private Receiver passthrough;
    private Runnable onClose = () -> { };
    /** A dedicated link's CLIENT ID on its backend (-1 until known): CLIENT UNBLOCK names it there. */
    long backendClientId = -1;

    BackendLink(LoopBackends owner, String address, int protocol, boolean dedicated) {
        this(owner, address, protocol, dedicated, false);
    }

    BackendLink(LoopBackends owner, String address, int protocol, boolean dedicated, boolean readonly) {
        this.readonly = readonly;
        this.owner = owner;
        this.address = address;
        this.protocol = protocol;
        this.dedicated = dedicated;
        this.timing = owner.stats().backend(address);
    }

    /** Starts connecting; requests may be sent at once and go out when the connection is up. */
    void connect(Bootstrap template, GatewayConfig config) {
        String[] hp = GatewayConfig.hostPort(address);
        Bootstrap b = template.clone().group(owner.loop()).handler(this)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, config.connectTimeoutMillis());
        if (protocol == 3) {
            byte[][] hello = config.backendPassword() == null ? args("HELLO", "3")
                    : config.backendUser() == null ? args("HELLO", "3", "AUTH", "default", config.backendPassword())
                    : args("HELLO", "3", "AUTH", config.backendUser(), config.backendPassword());
            send(hello, handshake(), 0);
        } else if (config.backendPassword() != null) {
            send(authArgs(config.backendUser(), config.backendPassword()), handshake(), 0);
        }
        if (readonly) {
            send(args("READONLY"), handshake(), 0);
        }
        if (dedicated) {
            send(args("CLIENT", "ID"), new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    if (buf.getByte(from) == ':') {
                        backendClientId = Numbers.parse(buf, from + 1, buf.indexOf(from, to, (byte) '\r'));
                    }
                }

                @Override
                public void failed(String error) {
                }
            }, 0);
        }
        ChannelFuture f = b.connect(hp[0], Integer.parseInt(hp[1]));
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail("ERR gateway: backend " + address + " unreachable (" + reason(done.cause()) + ")", true);
            }
        });
    }

    static byte[][] authArgs(String user, String password) {
        return user == null ? args("AUTH", password) : args("AUTH", user, password);
    }

    private Receiver handshake() {
        return new Receiver() {
            @Override
            public void reply(ByteBuf buf, int from, int to) {
                if (buf.getByte(from) == '-') {
                    fail("ERR gateway: backend " + address + " refused the gateway's credentials: "
                            + ReplyFramer.line(buf, from), false);
                }
            }

            @Override
            public void failed(String error) {
            }
        };
    }

    private static String reason(Throwable t) {
        return t == null ? "closed" : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static byte[][] args(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    boolean closed() {
        return closed;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Every frame from now on goes to {@code receiver} (pub/sub). */
    void passthrough(Receiver receiver) {
        this.passthrough = receiver;
    }

    void onClose(Runnable listener) {
        this.onClose = listener;
    }

    /**
     * Queues one request. {@code timeoutNanos} bounds the wait for its reply (0: none, for commands that
     * block by design). A closed link answers at once with an error.
     */
    void send(byte[][] args, Receiver receiver, long timeoutNanos) {
        send(args, receiver, timeoutNanos, passthrough == null);
    }

    /**
     * As {@link #send}, on a passthrough link too: the reply (any frame but a push) goes to
     * {@code receiver}, not to the passthrough (a tracking listener's PING).
     */
    void request(byte[][] args, Receiver receiver, long timeoutNanos) {
        send(args, receiver, timeoutNanos, true);
    }

    private void send(byte[][] args, Receiver receiver, long timeoutNanos, boolean awaitsReply) {
        if (closed) {
            receiver.failed("ERR gateway: connection to backend " + address + " lost");
            return;
        }
        if (outbound == null) {
            outbound = owner.alloc().buffer(256);
        }
        outbound.writeByte('*');
        Numbers.writeLong(outbound, args.length);
        outbound.writeBytes(CRLF);
        for (byte[] a : args) {
            outbound.writeByte('$');
            Numbers.writeLong(outbound, a.length);
            outbound.writeBytes(CRLF);
            outbound.writeBytes(a);
            outbound.writeBytes(CRLF);
        }
        queued(receiver, timeoutNanos, awaitsReply);
    }

    /**
     * As {@link #send}, for a request already encoded as a RESP multibulk: {@code buf[from, to)}, the
     * bytes the client sent, forwarded as they are (one copy instead of decoding and encoding again).
     */
    void sendEncoded(ByteBuf buf, int from, int to, Receiver receiver, long timeoutNanos) {
        if (closed) {
            receiver.failed("ERR gateway: connection to backend " + address + " lost");
            return;
        }
        if (outbound == null) {
            outbound = owner.alloc().buffer(Math.max(256, to - from));
        }
        outbound.writeBytes(buf, from, to - from);
        queued(receiver, timeoutNanos, passthrough == null);
    }

    private void queued(Receiver receiver, long timeoutNanos, boolean awaitsReply) {
        if (awaitsReply) {
            pending.add(receiver, timeoutNanos == 0 ? 0 : owner.stats().now() + timeoutNanos);
        }
        if (!dirty) {
            dirty = true;
            owner.markDirty(this);
        }
    }

    @Override
    public void flush() {
        dirty = false;
        if (outbound == null || !active || closed) {
            return;
        }
        ByteBuf out = outbound;
        outbound = null;
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** True when the oldest waiting request has outlived its deadline. */
    boolean overdue(long nowNanos) {
        if (pending.isEmpty()) {
            return false;
        }
        long deadline = pending.oldestDeadline();
        return deadline != 0 && nowNanos - deadline > 0;
    }

    /** Closes the link; waiting requests get {@code error}. */
    void close(String error) {
        fail(error, false);
    }

    private void fail(String error, boolean connectFailed) {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        if (outbound != null) {
            outbound.release();
            outbound = null;
        }
        if (channel != null) {
            channel.close();
        }
        Receiver r;
        while ((r = pending.poll()) != null) {
            r.failed(error);
        }
        if (passthrough != null) {
            passthrough.failed(error);
        }
        owner.linkClosed(this, connectFailed);
        onClose.run();
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (closed) {
            ctx.close();
            return;
        }
        active = true;
        if (outbound != null) {
            ByteBuf out = outbound;
            outbound = null;
            ctx.writeAndFlush(out, ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        input = Cumulation.append(ctx.alloc(), input, (ByteBuf) msg);
        owner.stats().readStarted();
        try {
            while (!closed && input.isReadable()) {
                int from = input.readerIndex();
                int end = ReplyFramer.end(input, from);
                if (end < 0) {
                    break;
                }
                input.readerIndex(end);
                deliver(from, end);
            }
        } catch (ProtocolException e) {
            fail("ERR gateway: backend " + address + " sent a malformed reply", false);
        } finally {
            owner.stats().readEnded();
        }
        input = Cumulation.compact(input);
    }

    private void deliver(int from, int to) {
        if (passthrough != null && (pending.isEmpty() || input.getByte(from) == '>')) {
            passthrough.reply(input, from, to); // a push is never a reply, even while requests wait (a PING)
            return;
        }
        if (input.getByte(from) == '>' && passthrough == null) {
            return; // a push on a request link (none is asked for): not a reply
        }
        Receiver r = pending.poll();
        if (r == null) {
            fail("ERR gateway: backend " + address + " sent a reply nobody asked for", false);
            return;
        }
        r.reply(input, from, to);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (input != null) {
            input.release();
            input = null;
        }
        fail("ERR gateway: connection to backend " + address + " lost", false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
