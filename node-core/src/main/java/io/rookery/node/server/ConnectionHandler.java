package io.rookery.node.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.eviction.OomGuard;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.RequestDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One client connection on the command thread (the server's single event loop): decodes requests as
 * they arrive, runs each through the node's gate, and flushes all replies of a read batch at once
 * (so pipelined requests cost one write). A protocol error is answered with Redis's text, then the
 * connection closes after the reply, as Redis does.
 */
final class ConnectionHandler extends ByteToMessageDecoder implements ClientConnection {
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /** CLIENT LIST fd numbers for transports without file descriptors (NIO): unique per connection. */
    private static final java.util.concurrent.atomic.AtomicInteger SYNTHETIC_FDS = new java.util.concurrent.atomic.AtomicInteger(1 << 20);

    private final ServerContext server;
    private final RequestDecoder decoder;
    private ChannelHandlerContext ctx;
    private Client client;
    private String remote = "?:0";
    private String local = "?:0";
    private boolean loopback;
    private boolean flushScheduled;
    private int fd = -1;
    /** Bytes of the read being decoded that were not in the buffer before (query buffer accounting). */
    private long justArrived;

    ConnectionHandler(ServerContext server) {
        this.server = server;
        this.decoder = new RequestDecoder(server.protocolLimits());
        this.decoder.admission(server::admitsBulk);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        fd = ctx.channel() instanceof io.netty.channel.unix.UnixChannel u ? u.fd().intValue()
                : SYNTHETIC_FDS.incrementAndGet();
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress r) {
            remote = address(r);
            loopback = r.getAddress() != null && r.getAddress().isLoopbackAddress();
        }
        if (ctx.channel().localAddress() instanceof InetSocketAddress l) {
            local = address(l);
        }
        String refusal = server.admit(this);
        if (refusal != null) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(refusal, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client = server.connected(this, ctx.alloc());
        super.channelActive(ctx);
    }

    private static String address(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        int pct = host.indexOf('%');
        if (pct >= 0) {
            host = host.substring(0, pct);
        }
        return host + ":" + a.getPort();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (client == null) {
            in.skipBytes(in.readableBytes());
            return;
        }
        decoder.limits(server.protocolLimits()); // CONFIG SET proto-max-bulk-len applies at once
        client.queryBuffer.received(in.readableBytes() - justArrived, justArrived, decoder.bulkInProgress(),
                decoder.pendingBulkBytes());
        justArrived = 0;
        try {
            while (!client.closing && client.postponed == null && !client.blocked && in.isReadable()) {
                decoder.authenticated(client.authenticated || server.config().requirepass.isEmpty());
                int start = in.readerIndex();
                byte[][] args = decoder.decode(in);
                if (args == null) {
                    if (in.readableBytes() + decoder.pendingBulkBytes() > server.config().clientQueryBufferLimit) {
                        server.log("Closing client that reached max query buffer length: " + remote);
                        close();
                    }
                    break;
                }
                if (args.length == 0) {
                    continue;
                }
                if (decoder.refused()) {
                    client.reply().error(OomGuard.OOM); // a bulk the heap could not hold was dropped unread
                    continue;
                }
                client.queryBuffer.running(in.writerIndex() - start);
                server.dispatch(client, args);
                if (client.bufferedOutput() > FLUSH_THRESHOLD) {
                    flush();
                }
            }
        } catch (ProtocolException e) {
            client.reply().error("ERR " + e.getMessage());
            server.log("Protocol error (" + e.getMessage() + ") from client: " + remote);
            in.skipBytes(in.readableBytes());
            closeAfterFlush();
        }
        if (client.closing) {
            in.skipBytes(in.readableBytes());
        }
        client.queryBuffer.pending(in.readableBytes(), decoder.bulkInProgress(), decoder.pendingBulkBytes());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            server.traffic(b.readableBytes(), 0);
            justArrived += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (client == null || !server.deferFlush(this)) {
            flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (client != null) {
            server.disconnected(client);
            client.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OutOfMemoryExit.ifOutOfMemory(cause);
        if (!(cause instanceof java.io.IOException)) {
            org.slf4j.LoggerFactory.getLogger(ConnectionHandler.class).error("connection {} failed", remote, cause);
        }
        ctx.close();
    }

    // ---------------------------------------------------------------- ClientConnection

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public String localAddress() {
        return local;
    }

    @Override
    public boolean isLoopback() {
        return loopback;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void flush() {
        flushScheduled = false;
        if (client == null) {
            return;
        }
        ByteBuf out = client.takeOutput();
        if (out == null) {
            return;
        }
        if (!out.isReadable() || !ctx.channel().isActive()) {
            out.release();
            return;
        }
        if (!server.beforeReplies()) {
            out.release();
            close(); // writes in this batch are not durable: no acknowledgement leaves
            return;
        }
        if (client.closing) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        server.traffic(0, out.readableBytes());
        ctx.writeAndFlush(out, ctx.voidPromise());
        server.checkOutputLimits(client);
    }

    @Override
    public void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.channel().eventLoop().execute(this::flush);
        }
    }

    @Override
    public void closeAfterFlush() {
        client.closing = true;
        ByteBuf out = client.takeOutput();
        if (out != null && out.isReadable() && ctx.channel().isActive()) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (out != null) {
                out.release();
            }
            ctx.close();
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.closing = true;
        }
        ctx.close();
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        return (ob == null ? 0 : ob.totalPendingWriteBytes()) + (client == null ? 0 : client.bufferedOutput());
    }

    @Override
    public void suspendInput() {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void resumeInput() {
        ctx.channel().config().setAutoRead(true);
        if (ctx.channel().isActive() && !resuming) {
            resuming = true;
            ctx.channel().eventLoop().execute(this::resumeNow);
        }
    }

    private boolean resuming;

    private void resumeNow() {
        resuming = false;
        if (ctx.channel().isActive() && client != null && !client.blocked && client.postponed == null) {
            // re-run the decoder over input that arrived while suspended
            ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
            flush();
        }
    }
}
