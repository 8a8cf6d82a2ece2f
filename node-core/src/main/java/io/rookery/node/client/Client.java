package io.rookery.node.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rookery.protocol.RespWriter;

/**
 * One connected client's session state: selected database, authentication, protocol version, name,
 * reply mode, and the output buffer its replies accumulate in until the connection flushes them.
 * Touched only by the command thread.
 */
public final class Client {
    private final long id;
    private final ClientConnection connection;
    private final ByteBufAllocator allocator;
    private final long createdAt;
    private final RespWriter writer = new RespWriter();
    private ByteBuf out;

    public int db;
    public boolean authenticated;
    public String name = "";
    public String libName = "";
    public String libVersion = "";
    public long lastInteraction;
    public String lastCommand = "NULL";
    public ReplyMode replyMode = ReplyMode.ON;
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
    /** A command held back by CLIENT PAUSE, run when the pause ends. */
    public byte[][] postponed;
    /** Cluster mode: READONLY was sent (reads of the primary's slots are served by its replica). */
    public boolean clusterReadOnly;
    /** Cluster mode: ASKING was sent (the next command may use a slot being imported here). */
    public boolean clusterAsking;
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
    }

    /** The writer for this client's replies, pointed at its output buffer. */
    public RespWriter reply() {
        if (out == null) {
            out = allocator.ioBuffer(256);
            writer.target(out);
        }
        return writer;
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

    /** Marks the current end of output, so a reply can be dropped again (CLIENT REPLY OFF|SKIP). */
    public int outputMark() {
        return out == null ? 0 : out.writerIndex();
    }

    public void truncateOutput(int mark) {
        if (out != null) {
            out.writerIndex(Math.max(out.readerIndex(), mark));
        }
    }

    public void release() {
        if (out != null) {
            out.release();
            out = null;
        }
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
        if (noEvict) {
            f.append('e');
        }
        if (clusterReadOnly) {
            f.append('r');
        }
        return f.length() == 0 ? "N" : f.toString();
    }
}
