package io.rookery.protocol.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RespReader;
import io.rookery.protocol.RespValue;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A small asynchronous RESP client for control-plane work (sentinel links, admin calls): one TCP
 * connection, commands pipelined in the order they are sent, each reply completing the future of the
 * command it answers. Commands sent while the connection is still being made wait and go out once it
 * is up, as hiredis's async contexts do.
 *
 * <p>Error replies complete their future normally (with {@link RespValue.Error}); a future completes
 * exceptionally only when the connection fails or closes first. Out-of-band messages (RESP3 pushes, and
 * under RESP2 the {@code message}/{@code pmessage} arrays that follow a SUBSCRIBE) go to the push
 * listener. Every callback runs on the connection's event loop; {@link #send} may be called from any
 * thread.
 */
public final class RespClient {
    private static final List<String> SUBSCRIBING = List.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE");
    private static final List<String> UNASKED = List.of("message", "pmessage", "smessage", "subscribe", "psubscribe",
            "ssubscribe");

    private final EventLoop loop;
    private final Channel channel;
    private final ArrayDeque<CompletableFuture<RespValue>> pending = new ArrayDeque<>();
    private final List<ByteBuf> unsent = new ArrayList<>();
    private final RespReader reader = new RespReader();
    private Consumer<RespValue> pushListener = v -> { };
    private Runnable closeListener = () -> { };
    private volatile boolean active;
    private volatile boolean closed;
    private boolean subscribed;

    private RespClient(Bootstrap bootstrap, EventLoop loop, String host, int port) {
        this.loop = loop;
        bootstrap.group(loop).handler(new Handler());
        ChannelFuture connecting = bootstrap.connect(host, port);
        this.channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                terminate(f.cause());
            }
        });
    }

    /**
     * Starts connecting to {@code host:port} on {@code group} (a channel of {@code channelType}); the
     * client is usable at once.
     */
    public static RespClient connect(EventLoopGroup group, Class<? extends Channel> channelType, String host, int port,
                                     int connectTimeoutMillis) {
        Bootstrap b = new Bootstrap()
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        // the loop is chosen up front: sends may come before the channel is registered on it
        return new RespClient(b, group.next(), host, port);
    }

    /** Called with every message that answers no command (pub/sub messages, RESP3 pushes). */
    public RespClient onPush(Consumer<RespValue> listener) {
        onLoop(() -> pushListener = listener);
        return this;
    }

    /**
     * Called once, when the connection fails, closes or is closed — at once if that already happened
     * (a connection can fail while it is being made, before anyone could register).
     */
    public RespClient onClose(Runnable listener) {
        onLoop(() -> {
            closeListener = listener;
            if (closed) {
                listener.run();
            }
        });
        return this;
    }

    /** Listeners and the state they watch change only on the loop, so none is missed. */
    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    public CompletableFuture<RespValue> send(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return send(bytes);
    }

    /** Sends one command; the future completes with its reply. */
    public CompletableFuture<RespValue> send(byte[]... args) {
        CompletableFuture<RespValue> reply = new CompletableFuture<>();
        ByteBuf frame = encode(args);
        boolean subscribes = args.length > 0 && SUBSCRIBING.contains(new String(args[0], StandardCharsets.UTF_8)
                .toUpperCase(java.util.Locale.ROOT));
        onLoop(() -> {
            if (closed) {
                frame.release();
                reply.completeExceptionally(new java.nio.channels.ClosedChannelException());
                return;
            }
            subscribed |= subscribes;
            pending.add(reply);
            if (active) {
                channel.writeAndFlush(frame);
            } else {
                unsent.add(frame);
            }
        });
        return reply;
    }

    /**
     * Sends several commands in one write and one flush (one event-loop task, one system call for a
     * pipeline of thousands); the futures complete with the replies, in order. Not for (P|S)SUBSCRIBE.
     */
    public List<CompletableFuture<RespValue>> sendAll(List<byte[][]> commands) {
        List<CompletableFuture<RespValue>> replies = new ArrayList<>(commands.size());
        List<ByteBuf> frames = new ArrayList<>(commands.size());
        for (byte[][] c : commands) {
            replies.add(new CompletableFuture<>());
            frames.add(encode(c));
        }
        onLoop(() -> {
            if (closed) {
                frames.forEach(ByteBuf::release);
                replies.forEach(r -> r.completeExceptionally(new java.nio.channels.ClosedChannelException()));
                return;
            }
            pending.addAll(replies);
            if (active) {
                frames.forEach(channel::write);
                channel.flush();
            } else {
                unsent.addAll(frames);
            }
        });
        return replies;
    }

    static ByteBuf encode(byte[][] args) {
        ByteBuf b = Unpooled.buffer(16 + args.length * 16);
        b.writeByte('*').writeCharSequence(Integer.toString(args.length), StandardCharsets.US_ASCII);
        b.writeByte('\r').writeByte('\n');
        for (byte[] a : args) {
            b.writeByte('$').writeCharSequence(Integer.toString(a.length), StandardCharsets.US_ASCII);
            b.writeByte('\r').writeByte('\n');
            b.writeBytes(a);
            b.writeByte('\r').writeByte('\n');
        }
        return b;
    }

    /** Commands sent whose replies have not arrived yet. */
    public int pendingReplies() {
        return pending.size();
    }

    public boolean isActive() {
        return active && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** This end's address once connected (which of our interfaces the peer sees), else null. */
    public InetSocketAddress localAddress() {
        SocketAddress a = channel.localAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    /**
     * Closes the connection; pending commands fail and the close listener runs (from channelInactive,
     * or from the failed connect when it was still being made).
     */
    public void close() {
        // on the loop, behind anything already sent: from another thread the channel may not even be
        // registered yet
        onLoop(channel::close);
    }

    private void terminate(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        active = false;
        for (ByteBuf b : unsent) {
            b.release();
        }
        unsent.clear();
        CompletableFuture<RespValue> f;
        while ((f = pending.poll()) != null) {
            f.completeExceptionally(cause);
        }
        closeListener.run();
    }

    private void deliver(RespValue reply) {
        if (reply instanceof RespValue.Push) {
            pushListener.accept(reply);
            return;
        }
        if (subscribed && reply instanceof RespValue.Array a && !a.elements().isEmpty()
                && a.elements().get(0) instanceof RespValue.BulkString kind) {
            String k = kind.text();
            boolean message = k.equals("message") || k.equals("pmessage") || k.equals("smessage");
            if (message || UNASKED.contains(k) && pending.isEmpty()) {
                pushListener.accept(reply);
                return;
            }
        }
        CompletableFuture<RespValue> f = pending.poll();
        if (f == null) {
            channel.close(); // a reply nobody asked for: the stream is out of step
            return;
        }
        f.complete(reply);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private ByteBuf input;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            active = true;
            for (ByteBuf b : unsent) {
                ctx.write(b);
            }
            unsent.clear();
            ctx.flush();
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (input == null) {
                    input = ctx.alloc().heapBuffer(Math.max(1024, in.readableBytes()));
                }
                input.writeBytes(in);
            } finally {
                in.release();
            }
            try {
                RespValue reply;
                while (!closed && (reply = reader.read(input)) != null) {
                    deliver(reply);
                }
            } catch (ProtocolException e) {
                ctx.close();
                return;
            }
            if (input.readerIndex() > 64 * 1024 || !input.isReadable()) {
                input.discardReadBytes();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (input != null) {
                input.release();
                input = null;
            }
            terminate(new java.nio.channels.ClosedChannelException());
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
