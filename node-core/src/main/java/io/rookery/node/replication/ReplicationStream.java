package io.rookery.node.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Propagation;
import io.rookery.node.dispatch.StreamEncoder;
import java.util.List;

/**
 * This node's replication history: its ids (replid, and replid2 after a promotion), the offset of the
 * stream's last byte, the {@link ReplicationBacklog} that holds its tail for partial resynchronizations,
 * and the encoder that turns propagated writes into stream bytes. A primary produces the stream; a
 * replica appends its primary's bytes unchanged, so offsets stay the primary's (PSYNC2).
 */
final class ReplicationStream {
    private final NodeConfig config;
    final ReplicationIds ids = new ReplicationIds();
    private final StreamEncoder encoder = new StreamEncoder();
    private ReplicationBacklog backlog;
    private long offset;
    /** Whether this node has a history to resume (it fed a stream, or synced with a primary). */
    private boolean hasHistory;

    ReplicationStream(NodeConfig config) {
        this.config = config;
    }

    long offset() {
        return offset;
    }

    boolean hasHistory() {
        return hasHistory;
    }

    /** The backlog; null until a replica first attached (a lone primary keeps none). */
    ReplicationBacklog backlog() {
        return backlog;
    }

    /** Creates the backlog when there is none yet, starting at the current offset. */
    void ensureBacklog() {
        if (backlog == null) {
            backlog = new ReplicationBacklog((int) Math.min(Integer.MAX_VALUE - 16, config.replBacklogSize), offset);
        }
    }

    /** Appends bytes to the history (the backlog, the offset) and returns them as one chunk for replicas. */
    byte[] append(byte[] data, int off, int len) {
        ensureBacklog();
        backlog.append(data, off, len);
        offset = backlog.endOffset();
        hasHistory = true;
        return off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
    }

    /** The stream bytes of one propagated unit (SELECT when the database changes, MULTI/EXEC around several). */
    byte[] encode(List<Propagation.Op> unit) {
        ByteBuf buf = Unpooled.buffer(128);
        encoder.encode(unit, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /** The stream after this point must select its database again (a snapshot or a new history began). */
    void resetEncoder() {
        encoder.reset();
    }

    /** A new history begins (promotion, backlog expiry): the old one stays valid up to the current offset. */
    void newHistory() {
        ids.shift(offset);
    }

    /** repl-backlog-ttl: frees the backlog and begins a new history. */
    void dropBacklog() {
        backlog = null;
        ids.shift(offset);
    }

    /** A new id and no previous one (replid2 cleared): DEBUG CHANGE-REPL-ID. */
    void changeId() {
        ids.replid = ReplicationIds.random();
        ids.replid2 = ReplicationIds.NONE;
        ids.secondOffset = -1;
    }

    /** A full synchronization with a primary loaded: its history, starting at {@code at}. */
    void adopt(String replid, long at) {
        ids.replid = replid;
        ids.replid2 = ReplicationIds.NONE;
        ids.secondOffset = -1;
        offset = at;
        hasHistory = true;
        backlog = new ReplicationBacklog((int) Math.min(Integer.MAX_VALUE - 16, config.replBacklogSize), at);
    }

    /** +CONTINUE with a new id: the primary changed history (it was promoted); ours follows. */
    void continueWith(String replid) {
        if (!replid.equals(ids.replid)) {
            ids.replid2 = ids.replid;
            ids.secondOffset = offset + 1;
            ids.replid = replid;
        }
    }
}
