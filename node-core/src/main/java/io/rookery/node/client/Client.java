package io.rookery.node.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rookery.protocol.RespWriter;
import io.rookery.protocol.tracking.TrackingSettings;

/**
 * One connected client's session state: selected database, authentication, protocol version, name,
 * reply mode, and the output buffer its replies accumulate in until the connection flushes them.
 * Touched only by the command thread.
 *
 * <p>Output is written through one of two doors, as Redis's {@code CLIENT_PUSHING} separates them:
 * {@link #reply()} for a command's reply, which CLIENT REPLY OFF|SKIP silence (the bytes go to a
 * scratch buffer that is dropped), and {@link #push()} for out-of-band data the client asked for by
 * other means (pub/sub confirmations and messages, client-side caching invalidations), which reach
 * the client whatever its reply mode.
 */
public final class Client {
    private final long id;
    private final ClientConnection connection;
    private final ByteBufAllocator allocator;
    private final long createdAt;
    private final RespWriter writer = new RespWriter();
    private final RespWriter silenced = new RespWriter();
    private ByteBuf out;
    private ByteBuf discarded;

    public int db;
    public boolean authenticated;
    /** The ACL user this connection runs as (AUTH user pass). */
    public String user = "default"; // AclUsers.DEFAULT, kept literal so client/ does not depend on acl/
    public String name = "";
    public String libName = "";
    public String libVersion = "";
    public long lastInteraction;
    public String lastCommand = "NULL";
    /** CLIENT REPLY: ON, OFF, or SKIP (the reply of the next command is dropped). */
    public ReplyMode replyMode = ReplyMode.ON;
    /** The reply of the command now running is dropped (it follows a CLIENT REPLY SKIP). */
    public boolean skippingReply;
    /** Client-side caching (CLIENT TRACKING) options of this connection. */
    public final TrackingSettings tracking = new TrackingSettings();
    public boolean noEvict;
    public boolean monitor;
    public boolean closing;
    /** This connection is a replica of ours (it sent PSYNC or SYNC). */
    public boolean replicaOf;
    public int replicaListeningPort;
    /** Replication capabilities from REPLCONF: "capa eof" (diskless payloads), "rdb-only 1" (just the RDB). */
    public boolean replicaCapaEof;
    public boolean replicaRdbOnly;
    /** It synchronized with the old SYNC command: no +FULLRESYNC line, no REPLCONF ACKs expected. */
    public boolean replicaPrePsync;
    public String replicaAnnouncedIp = "";
    /** Waiting in a blocking command (BLPOP ...): no further requests are read. */
    public boolean blocked;
    /** Inside MULTI (queueing) or running EXEC. */
    public boolean inMulti;
    public boolean inExec;
    /**
     * The client scripts' redis.call commands run as (Redis's CLIENT_SCRIPT): commands that must
     * answer differently from a script (SORT of a set BY a constant sorts; XREAD BLOCK is refused) ask.
     */
    public boolean scriptClient;
    /**
     * The error this client's current command replies was already counted in the error stats (a
     * script ending on a failed redis.call): the gate counts the command failed, not the error again.
     */
    public boolean errorReplyCounted;
    /** A command held back by CLIENT PAUSE, run when the pause ends. */
    public byte[][] postponed;
    /** The query buffer's size as CLIENT LIST reports it (qbuf, qbuf-free). */
    public final QueryBuffer queryBuffer = new QueryBuffer();
    /** Cluster mode: READONLY was sent (reads of the primary's slots are served by its replica). */
    public boolean clusterReadOnly;
    /** Cluster mode: ASKING was sent (the next command may use a slot being imported here). */
    public boolean clusterAsking;
    /** Cluster mode: ASKING applied to the command being run (a script's redis.call inherits it, as in Redis). */
    public boolean clusterAskingThisCommand;
    /** Since when pending output has been above the soft limit, or 0. */
    public long softLimitSince;
    private Subscriptions subscriptions;

    /** The channels, patterns and shard channels this client listens to. */
    public static final class Subscriptions {
        public final java.util.Set<io.rookery.node.keyspace.BinaryKey> channels = new java.util.LinkedHashSet<>();
        public final java.util.Set<io.rookery.node.keyspace.BinaryKey> patterns = new java.util.LinkedHashSet<>();
        public final java.util.Set<io.rookery.node.keyspace.BinaryKey> shardChannels = new java.util.LinkedHashSet<>();

        int total() {
            return channels.size() + patterns.size() + shardChannels.size();
        }
    }

    public Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
        }
        return subscriptions;
    }

    public boolean hasSubscriptions() {
        return subscriptions != null && subscriptions.total() > 0;
    }

    public Client(long id, ClientConnection connection, ByteBufAllocator allocator, long now) {
        this.id = id;
        this.connection = connection;
        this.allocator = allocator;
        this.createdAt = now;
        this.lastInteraction = now;
        writer.target(null);
    }

    public long id() {
        return id;
    }

    public ClientConnection connection() {
        return connection;
    }

    public long createdAt() {
        return createdAt;
    }

    public int protocol() {
        return writer.protocol();
    }

    public void protocol(int version) {
        writer.protocol(version);
        silenced.protocol(version);
    }

    /**
     * The writer for this client's replies: its output buffer, or a scratch buffer nobody reads while
     * CLIENT REPLY OFF or SKIP silences replies.
     */
    public RespWriter reply() {
        if (replyMode == ReplyMode.OFF || skippingReply) {
            if (discarded == null) {
                discarded = allocator.heapBuffer(256);
                silenced.target(discarded);
            }
            return silenced;
        }
        return push();
    }

    /** The writer for out-of-band data (pub/sub, invalidations): the output buffer, whatever the reply mode. */
    public RespWriter push() {
        if (out == null) {
            out = allocator.ioBuffer(256);
            writer.target(out);
        }
        return writer;
    }

    /** Drops what silenced replies wrote (after each command). */
    public void dropSilencedReplies() {
        if (discarded != null) {
            discarded.release();
            discarded = null;
            silenced.target(null);
        }
    }

    /** Takes the pending output, leaving none; null when there is none. */
    public ByteBuf takeOutput() {
        ByteBuf b = out;
        out = null;
        writer.target(null);
        return b;
    }

    /** Bytes of replies not yet handed to the connection. */
    public int bufferedOutput() {
        return out == null ? 0 : out.readableBytes();
    }

    /** Marks the current end of the reply output, so a failed command's partial reply can be dropped. */
    public int outputMark() {
        return reply().target().writerIndex();
    }

    public void truncateOutput(int mark) {
        ByteBuf target = reply().target();
        target.writerIndex(Math.max(target.readerIndex(), Math.min(mark, target.writerIndex())));
    }

    public void release() {
        if (out != null) {
            out.release();
            out = null;
        }
        dropSilencedReplies();
    }

    /** "normal", "pubsub", "replica" or "master", for CLIENT KILL TYPE and output limits. */
    public String clientClass() {
        if (replicaOf) {
            return "replica";
        }
        return hasSubscriptions() ? "pubsub" : "normal";
    }

    public String flags() {
        StringBuilder f = new StringBuilder();
        if (monitor) {
            f.append('O');
        }
        if (replicaOf) {
            f.append('S');
        }
        if (hasSubscriptions()) {
            f.append('P');
        }
        if (closing) {
            f.append('A');
        }
        if (postponed != null || blocked) {
            f.append('b');
        }
        if (inMulti) {
            f.append('x');
        }
        tracking.appendClientListFlags(f);
        if (noEvict) {
            f.append('e');
        }
        if (clusterReadOnly) {
            f.append('r');
        }
        return f.length() == 0 ? "N" : f.toString();
    }
}
