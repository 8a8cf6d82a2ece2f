package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.ProtocolLimits;
import io.rookery.protocol.RequestDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * One client connection. Requests are decoded as a Redis server decodes them and handed to the
 * {@link CommandRouter}; each gets a place in this client's reply queue, so replies leave in request
 * order however the backends interleave, while other clients' replies never wait on this one's.
 * Out-of-band frames (pub/sub messages) join the queue at its end.
 *
 * <p>A client that pipelines far ahead of its replies stops being read until the queue drains
 * (backpressure instead of unbounded memory), and so does one whose socket stops taking its replies;
 * a client past its class's {@link OutputBufferLimit} (normal or pub/sub) is disconnected, as Redis does.
 * CLIENT PAUSE holds its commands in {@link #held}; CLIENT REPLY OFF/SKIP silences its replies.
 *
 * <p>The replies to the commands of one client read leave in one write, as a Redis server writes them
 * once it has run the whole read: a pipeline split over several primaries is answered by them in
 * different loop turns, and writing each part as it comes costs a send (and a wake-up of the client)
 * per part. Output is held only for a reply still awaited from the same read as the last reply in it,
 * never while the client is blocked (a blocking command, WAIT), holds paused commands or is subscribed,
 * and never past {@link #HOLD_LIMIT} bytes.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements Flushable {
    private static final int PAUSE_READING_AT = 4096;
    private static final int RESUME_READING_AT = 512;
    /** Output past this size is written even while replies of its read are still awaited. */
    static final int HOLD_LIMIT = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientSession.class);

    private final long id;
    private final GatewayContext gateway;
    private final LoopBackends backends;
    private final CommandRouter router;
    private final RequestDecoder decoder = new RequestDecoder(ProtocolLimits.defaults());
    private final ArrayDeque<PendingReply> queue = new ArrayDeque<>();
    private final Set<BackendLink> blockedOn = new HashSet<>();
    private final long createdMillis = System.currentTimeMillis();
    private Channel channel;
    private boolean readingPaused;
    /** When the unsent output went over the soft output limit (0: it is under). */
    private long overSoftLimitSince;
    /** The request being routed, as the client encoded it, while it is at hand (see {@link #encoded}). */
    private byte[][] encodedArgs;
    private ByteBuf encodedIn;
    private int encodedFrom;
    private int encodedTo;
    /** Input the decoder left unread (a request cut inside a header line or an inline line), kept for the next read. */
    private ByteBuf input;
    private ByteBuf out;
    /** The client reads so far: each request's reply knows the read it came in. */
    private long reads;
    /** The read of the last reply put into {@link #out}. */
    private long outRead = -1;
    private boolean dirty;
    private boolean closeAfterFlush;
    private boolean closed;
    volatile int protocol = 2;
    volatile boolean authenticated;
    volatile String name = "";
    volatile String lastCommand = "NULL";
    volatile long lastInteractionMillis = createdMillis;
    /** Commands held by CLIENT PAUSE, in the order the client sent them (see {@link ClientPause}). */
    final ArrayDeque<byte[][]> held = new ArrayDeque<>();
    /** CLIENT REPLY OFF: replies are dropped until CLIENT REPLY ON. */
    boolean replyOff;
    /** CLIENT REPLY SKIP: the next command's reply is dropped. */
    boolean skipNext;
    /** CLIENT NO-EVICT ON (shown in CLIENT LIST's flags; the gateway evicts no client anyway). */
    volatile boolean noEvict;
    /** Transaction, WATCH and pub/sub state, owned by the router. */
    final ClientState state = new ClientState();
    /** CLIENT TRACKING options and the keys this client may cache (see {@link Invalidations}). */
    final SessionTracking tracking = new SessionTracking();
    /** Keys the command being routed reads, remembered again with its reply (see {@link Invalidations#beforeCommand}). */
    java.util.List<byte[]> trackedKeys;

    ClientSession(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
        this.id = gateway.clients().nextId();
        this.router = new CommandRouter(gateway, backends);
        String pass = gateway.config().requirepass();
        this.authenticated = pass == null || pass.isEmpty();
        decoder.authenticated(authenticated);
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int protocol() {
        return protocol;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public long ageSeconds() {
        return (System.currentTimeMillis() - createdMillis) / 1000;
    }

    public long idleSeconds() {
        return (System.currentTimeMillis() - lastInteractionMillis) / 1000;
    }

    public String remoteAddress() {
        if (channel != null && channel.remoteAddress() instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return "?";
    }

    public String localAddress() {
        if (channel != null && channel.localAddress() instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return "?";
    }

    /** Blocked on a backend (a blocking command, WAIT) or holding commands during a pause. */
    boolean blocked() {
        return !blockedOn.isEmpty() || !held.isEmpty();
    }

    /** Runs the commands held by a pause on this client's loop after {@code delayMillis} (0: next turn). */
    void resumeHeldSoon(long delayMillis) {
        Channel ch = channel;
        if (ch == null || closed) {
            return;
        }
        Runnable resume = () -> {
            if (!closed) {
                router.resumeHeld(this);
                if (readingPaused && held.isEmpty() && queue.size() <= RESUME_READING_AT && channel.isWritable()) {
                    readingPaused = false;
                    channel.config().setAutoRead(true);
                }
            }
        };
        if (delayMillis <= 0) {
            ch.eventLoop().execute(resume);
        } else {
            ch.eventLoop().schedule(resume, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    LoopBackends backends() {
        return backends;
    }

    /** Runs {@code task} on this client's event loop (now when already on it); nothing once the client left. */
    void onLoop(Runnable task) {
        Channel ch = channel;
        if (ch == null || closed) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            task.run();
        } else {
            ch.eventLoop().execute(() -> {
                if (!closed) {
                    task.run();
                }
            });
        }
    }

    void authenticated(boolean yes) {
        authenticated = yes;
        decoder.authenticated(yes);
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        gateway.stats().connectionAccepted();
        if (gateway.clients().size() >= gateway.config().maxClients()) {
            gateway.stats().connectionRejected();
            ByteBuf err = ctx.alloc().buffer();
            err.writeCharSequence("-ERR max number of clients reached\r\n", StandardCharsets.US_ASCII);
            ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
            closed = true;
            return;
        }
        gateway.clients().add(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed || closeAfterFlush) {
            ((ByteBuf) msg).release();
            return;
        }
        ByteBuf in = input = Cumulation.append(ctx.alloc(), input, (ByteBuf) msg);
        try {
            lastInteractionMillis = System.currentTimeMillis();
            reads++;
            backends.stats().readStarted();
            byte[][] args;
            while (!closeAfterFlush) {
                int start = in.readerIndex();
                boolean whole = !decoder.midRequest() && in.isReadable() && in.getByte(start) == '*';
                if ((args = decoder.decode(in)) == null) {
                    break;
                }
                if (args.length == 0) {
                    continue;
                }
                if (whole && !decoder.refused()) {
                    encodedArgs = args;
                    encodedIn = in;
                    encodedFrom = start;
                    encodedTo = in.readerIndex();
                }
                try {
                    router.route(this, args);
                } finally {
                    encodedArgs = null;
                    encodedIn = null;
                }
            }
        } catch (ProtocolException e) {
            PendingReply r = enqueue("protocol");
            r.failed("ERR " + e.getMessage());
            closeAfterFlush();
        } finally {
            backends.stats().readEnded();
            input = Cumulation.compact(in);
        }
        if ((queue.size() >= PAUSE_READING_AT || held.size() >= PAUSE_READING_AT || !channel.isWritable()) && !readingPaused) {
            readingPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        gateway.clients().remove(this);
        gateway.clients().pause.left(this);
        held.clear();
        for (BackendLink l : Set.copyOf(blockedOn)) {
            l.close("ERR gateway: client went away");
        }
        blockedOn.clear();
        backends.invalidations().disable(this);
        state.release(backends);
        PendingReply r;
        while ((r = queue.poll()) != null) {
            r.discard();
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (input != null) {
            input.release();
            input = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // a client that does not read its replies is not read either: its unsent output stays bounded
        if (!ctx.channel().isWritable()) {
            if (!readingPaused) {
                readingPaused = true;
                ctx.channel().config().setAutoRead(false);
            }
        } else if (readingPaused && queue.size() <= RESUME_READING_AT && held.isEmpty() && !closed) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Sends {@code args} on {@code link} as the client encoded them, when that encoding is at hand: the
     * same array is being routed and came whole from one read, as a multibulk. The backend then gets
     * the client's bytes in one copy instead of a decode and an encode. False (nothing sent) for any
     * other array (a split part, a queued transaction command), an inline request, one that came in
     * pieces, or once routing returned.
     */
    boolean sendAsEncoded(byte[][] args, BackendLink link, Receiver receiver, long timeoutNanos) {
        if (args != encodedArgs || encodedIn == null) {
            return false;
        }
        link.sendEncoded(encodedIn, encodedFrom, encodedTo, receiver, timeoutNanos);
        return true;
    }

    // ---------------------------------------------------------------- replies in order

    /** A place in the reply queue for a request being started now. */
    PendingReply enqueue(String command) {
        PendingReply r = new PendingReply(command);
        if (trackedKeys != null) {
            r.tracked = trackedKeys;
            trackedKeys = null;
        }
        if (replyOff || skipNext) {
            r.silent = true;
            skipNext = false;
        }
        queue.add(r);
        return r;
    }

    /**
     * A place in the reply queue whose request starts only once every earlier reply of this client is
     * in ({@code start} runs then, at once when none is awaited): WAIT counts the writes the client made
     * before it, so they must have been answered.
     */
    void enqueueAtHead(String command, java.util.function.Consumer<PendingReply> start) {
        PendingReply r = enqueue(command);
        if (queue.peek() == r) {
            start.accept(r);
        } else {
            r.atHead = () -> start.accept(r);
        }
    }

    /** A frame that answers no request (a pub/sub message): it goes after every reply still awaited. */
    void outOfBand(ByteBuf buf, int from, int to) {
        if (closed) {
            return;
        }
        if (queue.isEmpty()) {
            write(buf, from, to);
        } else {
            PendingReply r = new PendingReply(null);
            queue.add(r);
            r.reply(buf, from, to);
        }
    }

    /** Closes the connection once every queued reply has been written (QUIT, a protocol error). */
    void closeAfterFlush() {
        closeAfterFlush = true;
        markDirty();
    }

    void closeNow() {
        if (channel != null) {
            channel.close();
        }
    }

    void blocking(BackendLink link) {
        blockedOn.add(link);
    }

    void unblocked(BackendLink link) {
        blockedOn.remove(link);
    }

    /** The dedicated links this client's blocking commands wait on (a copy; call on its loop). */
    java.util.List<BackendLink> blockedLinks() {
        return java.util.List.copyOf(blockedOn);
    }

    /** This client's event loop, or null before it connected. */
    io.netty.channel.EventLoop loop() {
        Channel ch = channel;
        return ch == null ? null : ch.eventLoop();
    }

    private void write(ByteBuf buf, int from, int to) {
        if (out == null) {
            out = channel.alloc().buffer(Math.max(256, to - from));
        }
        out.writeBytes(buf, from, to - from);
        markDirty();
    }

    private void writeSmall(byte[] reply) {
        if (out == null) {
            out = channel.alloc().buffer(Math.max(256, reply.length));
        }
        out.writeBytes(reply);
        markDirty();
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            backends.markDirty(this);
        }
    }

    /** Writes replies from the head of the queue while they are complete. */
    private void drain() {
        PendingReply head;
        while ((head = queue.peek()) != null && head.done) {
            queue.poll();
            outRead = head.read;
            if (head.data != null) {
                write(head.data, head.data.readerIndex(), head.data.writerIndex());
                head.data.release();
                head.data = null;
            } else if (head.small != null) {
                writeSmall(head.small);
                head.small = null;
            }
        }
        if (head != null && head.atHead != null) {
            Runnable start = head.atHead;
            head.atHead = null;
            start.run();
        }
        if (out != null) {
            markDirty(); // held output is looked at again now that the queue moved (see holdsForItsRead)
        }
        if (readingPaused && queue.size() <= RESUME_READING_AT && channel != null && !closed && channel.isWritable()
                && held.isEmpty()) {
            readingPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void flush() {
        dirty = false;
        if (closed) {
            return;
        }
        if (out != null) {
            if (holdsForItsRead()) {
                return; // written with the rest of its read's replies (their arrival marks this dirty again)
            }
            ByteBuf o = out;
            out = null;
            if (closeAfterFlush && queue.isEmpty()) {
                channel.writeAndFlush(o).addListener(ChannelFutureListener.CLOSE);
                closed = true;
                return;
            }
            channel.writeAndFlush(o, channel.voidPromise());
            checkOutputLimit();
        } else if (closeAfterFlush && queue.isEmpty()) {
            channel.close();
            closed = true;
        }
    }

    /**
     * Whether {@link #out} waits for the next reply in the queue: it answers a request of the same read
     * as the last reply in {@code out}, and nothing may keep it long (see the class comment).
     */
    private boolean holdsForItsRead() {
        PendingReply next = queue.peek();
        return next != null && next.read == outRead && outRead >= 0 && blockedOn.isEmpty() && held.isEmpty()
                && !closeAfterFlush && !state.subscribed() && out.readableBytes() < HOLD_LIMIT;
    }

    /**
     * Redis's client-output-buffer-limit: a client (pub/sub or normal, by its state now) whose unsent
     * output is past the hard limit, or past the soft one for its seconds, is disconnected.
     */
    private void checkOutputLimit() {
        OutputBufferLimit limit = state.subscribed() ? gateway.config().pubsubOutputLimit()
                : gateway.config().normalOutputLimit();
        if (limit.hardBytes() == 0 && limit.softBytes() == 0) {
            return;
        }
        long pending = pendingOutput();
        long now = System.currentTimeMillis();
        if (limit.exceeded(pending, overSoftLimitSince, now)) {
            LOG.warn("Client id={} addr={} closed for overcoming of output buffer limits ({} bytes unsent, limit {}).",
                    id, remoteAddress(), pending, limit);
            gateway.stats().outputLimitDisconnect();
            channel.close();
            closed = true;
            return;
        }
        overSoftLimitSince = limit.softSince(pending, overSoftLimitSince, now);
    }

    /** Bytes written to the client's socket buffer but not yet taken by the kernel. */
    long pendingOutput() {
        Channel ch = channel;
        if (ch == null) {
            return 0;
        }
        io.netty.channel.ChannelOutboundBuffer ob = ch.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    /**
     * A request's place in the reply queue; completed once, by a backend reply, an error or a reply the
     * gateway builds. Complete at the head of the queue, it is written at once; else it waits, copied.
     */
    final class PendingReply implements Receiver {
        /** Replies up to this size that must wait for earlier ones are kept on the heap, not in a pooled buffer. */
        private static final int SMALL_REPLY = 1024;

        private final String command;
        private final long startNanos;
        /** The client read the request came in (-1 for an out-of-band frame). */
        private final long read;
        private ByteBuf data;
        private byte[] small;
        private boolean done;
        /** Started when this reply reaches the head of the queue (see {@link #enqueueAtHead}). */
        private Runnable atHead;
        /** CLIENT REPLY OFF or SKIP: completed and kept in order, but nothing is written. */
        boolean silent;
        /** Keys a tracking client read with this request: remembered again when the reply arrives. */
        private java.util.List<byte[]> tracked;

        private PendingReply(String command) {
            this.command = command;
            this.startNanos = command == null ? 0 : backends.stats().now();
            this.read = command == null ? -1 : reads;
        }

        @Override
        public void reply(ByteBuf buf, int from, int to) {
            if (done) {
                return;
            }
            done = true;
            record(buf.getByte(from) == '-');
            if (closed) {
                return;
            }
            if (tracked != null) {
                backends.invalidations().remember(ClientSession.this, tracked);
                tracked = null;
            }
            if (silent) {
                if (queue.peek() == this) {
                    queue.poll();
                    drain();
                }
                return;
            }
            if (queue.peek() == this) {
                queue.poll();
                outRead = read;
                write(buf, from, to);
                drain();
            } else if (to - from <= SMALL_REPLY) {
                small = new byte[to - from];
                buf.getBytes(from, small);
            } else {
                data = channel.alloc().buffer(to - from);
                data.writeBytes(buf, from, to - from);
            }
        }

        /** Completes with an already encoded reply. */
        void reply(ByteBuf encoded) {
            try {
                reply(encoded, encoded.readerIndex(), encoded.writerIndex());
            } finally {
                encoded.release();
            }
        }

        @Override
        public void failed(String error) {
            ByteBuf b = channel.alloc().buffer(error.length() + 3);
            b.writeByte('-');
            b.writeCharSequence(error.replace('\r', ' ').replace('\n', ' '), StandardCharsets.UTF_8);
            b.writeBytes(CRLF);
            reply(b);
        }

        private void record(boolean error) {
            if (command != null) {
                backends.stats().command(command).record(backends.stats().now() - startNanos, error);
            }
        }

        private void discard() {
            if (data != null) {
                data.release();
                data = null;
            }
        }
    }
}
