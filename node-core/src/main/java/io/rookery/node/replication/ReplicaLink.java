package io.rookery.node.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.rookery.node.NodeIdentity;
import io.rookery.node.client.Client;
import io.rookery.node.client.DetachedConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.dispatch.StreamEncoder;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbLoader;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.ProtocolLimits;
import io.rookery.protocol.RequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's link to its primary, Redis's handshake as a state machine on the command thread:
 *
 * <pre>
 * PING → [AUTH [user] masterauth] → REPLCONF listening-port N → REPLCONF capa eof capa psync2
 *      → PSYNC replid offset+1 → +FULLRESYNC id offset "$len" rdb | "$EOF:mark" rdb mark
 *                               | +CONTINUE [id]
 *      → the command stream, applied as it comes; REPLCONF GETACK answered with REPLCONF ACK offset,
 *        and an ACK every second
 * </pre>
 * Newlines the primary sends as keepalives before the transfer are skipped. A lost link reconnects
 * after a second and tries a partial resynchronization first.
 */
final class ReplicaLink {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLink.class);

    enum Step { CONNECTING, PING, AUTH, PORT, CAPA, PSYNC, TRANSFER, CONNECTED }

    private final Replication replication;
    private final NodeConfig config;
    private final Keyspace keyspace;
    private final TypeContext types;
    private final Dispatcher dispatcher;
    private final EventLoop loop;
    private final NodeIdentity identity;
    private final String host;
    private final int port;
    private final Client master;
    private Channel channel;
    private Step step = Step.CONNECTING;
    private boolean closed;
    private long lastIo = System.currentTimeMillis();
    /** When the link to a primary was last lost, 0 while up or never up (INFO master_link_down_since_seconds). */
    private long downSince;
    private long lastAck;
    private long reconnectAt;

    ReplicaLink(Replication replication, ReplicaLink.Parts parts, String host, int port) {
        this.replication = replication;
        this.config = parts.config();
        this.keyspace = parts.keyspace();
        this.types = parts.types();
        this.dispatcher = parts.dispatcher();
        this.loop = parts.loop();
        this.identity = parts.identity();
        this.host = host;
        this.port = port;
        this.master = new Client(0, new DetachedConnection("master"), UnpooledByteBufAllocator.DEFAULT, System.currentTimeMillis());
        this.master.authenticated = true;
    }

    /** What a link applies the primary's data to, and where it runs. */
    record Parts(NodeConfig config, Keyspace keyspace, TypeContext types, Dispatcher dispatcher, EventLoop loop,
                 NodeIdentity identity) {
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    boolean connected() {
        return step == Step.CONNECTED;
    }

    boolean syncing() {
        return step == Step.TRANSFER || step == Step.PSYNC;
    }

    String state() {
        return switch (step) {
            case CONNECTING -> "connecting";
            case TRANSFER -> "sync";
            case CONNECTED -> "connected";
            default -> "handshake";
        };
    }

    /** Seconds since the primary last sent anything; -1 while not connected (as Redis). */
    long lastIoSecondsAgo() {
        return connected() ? (System.currentTimeMillis() - lastIo) / 1000 : -1;
    }

    /** Seconds since the link went down, -1 if it has not been up; only meaningful while not connected. */
    /** Milliseconds since the primary was last heard from: on a live link its last I/O, else since the link went down. */
    long dataAgeMillis(long now) {
        if (connected()) {
            return now - lastIo;
        }
        return downSince == 0 ? Long.MAX_VALUE / 2 : now - downSince;
    }

    long downSinceSeconds() {
        return downSince == 0 ? -1 : (System.currentTimeMillis() - downSince) / 1000;
    }

    /** A link that replaces one to another primary starts down since that one was dropped. */
    void downSince(long millis) {
        this.downSince = millis;
    }

    boolean isMasterClient(Client c) {
        return c == master;
    }

    void connect() {
        step = Step.CONNECTING;
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(io.rookery.node.server.RespServer.clientChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Handler());
                    }
                });
        b.connect(host, port).addListener((ChannelFuture f) -> {
            if (closed) {
                f.channel().close(); // REPLICAOF changed while connecting: this link is history
            } else if (!f.isSuccess()) {
                LOG.warn("Error condition on socket for SYNC: {}", f.cause().getMessage());
                retryLater();
            }
        });
    }

    private void retryLater() {
        if (step == Step.CONNECTED) {
            downSince = System.currentTimeMillis();
        }
        step = Step.CONNECTING;
        channel = null;
        reconnectAt = System.currentTimeMillis() + 1000;
    }

    void close() {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }

    void cron(long now) {
        if (closed) {
            return;
        }
        if (channel == null && reconnectAt > 0 && now >= reconnectAt) {
            reconnectAt = 0;
            connect();
        }
        if (step == Step.CONNECTED && now - lastAck >= 1000) {
            sendAck();
        }
    }

    void sendAck() {
        if (channel != null && step == Step.CONNECTED) {
            lastAck = System.currentTimeMillis();
            send("REPLCONF", "ACK", Long.toString(replication.offset()));
        }
    }

    private void send(String... args) {
        ByteBuf b = Unpooled.buffer();
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        StreamEncoder.command(b, bytes);
        channel.writeAndFlush(b);
    }

    /** The link's protocol handler. */
    private final class Handler extends ByteToMessageDecoder {
        private final RequestDecoder stream = new RequestDecoder(ProtocolLimits.defaults().withMaxBulkLength(Long.MAX_VALUE / 4));
        private String fullId;
        private long fullOffset;
        private long transferLength = -1;
        private byte[] eofMark;
        /** How many bytes after the reader index were already searched for the EOF mark. */
        private int scanned;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (closed) {
                ctx.close();
                return;
            }
            channel = ctx.channel();
            step = Step.PING;
            send("PING");
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!closed) {
                LOG.warn("Connection with master lost; reconnecting");
                retryLater();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("Replication link error: {}", cause.toString());
            ctx.close();
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            lastIo = System.currentTimeMillis();
            while (in.isReadable() && !closed) {
                if (step == Step.CONNECTED) {
                    applyStream(in);
                    return;
                }
                if (step == Step.TRANSFER) {
                    if (!transfer(in)) {
                        return;
                    }
                    continue;
                }
                // handshake replies are lines; the primary may send bare newlines as keepalives
                if (in.getByte(in.readerIndex()) == '\n') {
                    in.skipBytes(1);
                    continue;
                }
                int lf = in.forEachByte(ByteProcessor.FIND_LF);
                if (lf < 0) {
                    return;
                }
                String line = in.toString(in.readerIndex(), lf - in.readerIndex(), StandardCharsets.UTF_8).trim();
                in.readerIndex(lf + 1);
                handshake(ctx, line);
            }
        }

        private void handshake(ChannelHandlerContext ctx, String line) {
            switch (step) {
                case PING -> {
                    if (line.startsWith("-") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")) {
                        fail(ctx, "Error reply to PING from master: " + line);
                        return;
                    }
                    if (!config.masterauth.isEmpty()) {
                        step = Step.AUTH;
                        if (config.masteruser.isEmpty()) {
                            send("AUTH", config.masterauth);
                        } else {
                            send("AUTH", config.masteruser, config.masterauth);
                        }
                    } else {
                        sendPort();
                    }
                }
                case AUTH -> {
                    if (!line.startsWith("+")) {
                        fail(ctx, "Unable to AUTH to MASTER: " + line);
                        return;
                    }
                    sendPort();
                }
                case PORT -> {
                    step = Step.CAPA;
                    send("REPLCONF", "capa", "eof", "capa", "psync2");
                }
                case CAPA -> {
                    step = Step.PSYNC;
                    if (!replication.hasHistory()) {
                        send("PSYNC", "?", "-1"); // no history of our own to resume
                    } else {
                        send("PSYNC", replication.replid(), Long.toString(replication.offset() + 1));
                    }
                }
                case PSYNC -> {
                    if (line.startsWith("+FULLRESYNC")) {
                        String[] f = line.split(" ");
                        fullId = f[1];
                        fullOffset = Long.parseLong(f[2]);
                        step = Step.TRANSFER;
                        transferLength = -1;
                        eofMark = null;
                        LOG.info("Full resync from master: {}:{}", fullId, fullOffset);
                    } else if (line.startsWith("+CONTINUE")) {
                        String[] f = line.split(" ");
                        if (f.length > 1) {
                            replication.continueWith(f[1]);
                        }
                        step = Step.CONNECTED;
                        downSince = 0;
                        LOG.info("Successful partial resynchronization with master");
                        sendAck();
                    } else {
                        fail(ctx, "Unexpected reply to PSYNC from master: " + line);
                    }
                }
                default -> {
                }
            }
        }

        private void sendPort() {
            step = Step.PORT;
            int announce = config.replicaAnnouncePort > 0 ? config.replicaAnnouncePort : identity.port();
            if (!config.replicaAnnounceIp.isEmpty()) {
                send("REPLCONF", "listening-port", Integer.toString(announce), "ip-address", config.replicaAnnounceIp);
            } else {
                send("REPLCONF", "listening-port", Integer.toString(announce));
            }
        }

        private void fail(ChannelHandlerContext ctx, String why) {
            LOG.warn(why);
            ctx.close();
        }

        /** Reads "$len" or "$EOF:mark", then the RDB; loads it when complete. False when more input is needed. */
        private boolean transfer(ByteBuf in) throws RdbFormatException {
            if (transferLength < 0 && eofMark == null) {
                while (in.isReadable() && in.getByte(in.readerIndex()) == '\n') {
                    in.skipBytes(1);
                }
                int lf = in.forEachByte(ByteProcessor.FIND_LF);
                if (lf < 0) {
                    return false;
                }
                String header = in.toString(in.readerIndex(), lf - in.readerIndex(), StandardCharsets.US_ASCII).trim();
                in.readerIndex(lf + 1);
                if (header.startsWith("$EOF:")) {
                    eofMark = header.substring(5).getBytes(StandardCharsets.US_ASCII);
                    scanned = 0;
                } else {
                    transferLength = Long.parseLong(header.substring(1));
                }
                return true;
            }
            byte[] rdb;
            if (eofMark != null) {
                int end = indexOf(in, eofMark);
                if (end < 0) {
                    return false;
                }
                rdb = new byte[end - in.readerIndex()];
                in.readBytes(rdb);
                in.skipBytes(eofMark.length);
            } else {
                if (in.readableBytes() < transferLength) {
                    return false;
                }
                rdb = new byte[(int) transferLength];
                in.readBytes(rdb);
            }
            keyspace.emptyForLoad(); // the primary's libraries replace ours too
            RdbLoader.Result r = RdbLoader.load(rdb, keyspace, types, config.rdbchecksum);
            replication.adoptPrimary(fullId, fullOffset);
            master.db = 0;
            step = Step.CONNECTED;
            downSince = 0;
            LOG.info("MASTER <-> REPLICA sync: finished with success, {} keys loaded", r.keys());
            sendAck();
            return true;
        }

        /** The mark's position, searching only bytes not searched before (the transfer is large). */
        private int indexOf(ByteBuf in, byte[] mark) {
            int last = in.writerIndex() - mark.length;
            int from = in.readerIndex() + Math.max(0, scanned - mark.length);
            scanned = in.readableBytes();
            for (int i = from; i <= last; i++) {
                boolean match = true;
                for (int k = 0; k < mark.length && match; k++) {
                    match = in.getByte(i + k) == mark[k];
                }
                if (match) {
                    return i;
                }
            }
            return -1;
        }

        /** Bytes of a command the decoder has started but not finished (it keeps its own state across reads). */
        private final ByteBuf partial = Unpooled.buffer();

        /**
         * Applies every complete command of the stream and feeds its exact bytes onward (own backlog,
         * sub-replicas); the replication offset counts whole commands only.
         */
        private void applyStream(ByteBuf in) throws ProtocolException {
            while (in.isReadable()) {
                int start = in.readerIndex();
                byte[][] args = stream.decode(in);
                int consumed = in.readerIndex() - start;
                if (args == null) {
                    partial.writeBytes(in, start, consumed);
                    return;
                }
                int held = partial.readableBytes();
                int length = held + consumed;
                byte[] raw = new byte[length];
                partial.readBytes(raw, 0, held);
                partial.clear();
                in.getBytes(start, raw, held, consumed);
                if (args.length > 0) {
                    if (Args.is(args[0], "REPLCONF") && args.length > 1 && Args.is(args[1], "GETACK")) {
                        sendAck();
                    } else if (!Args.is(args[0], "PING")) {
                        dispatcher.replay(master, args);
                        dispatcher.propagation().flush();
                    }
                }
                replication.feed(raw, 0, length);
            }
        }
    }
}
