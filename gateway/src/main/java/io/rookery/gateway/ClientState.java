package io.rookery.gateway;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client has pinned beyond single requests: a transaction being queued, the dedicated link its
 * WATCH runs on (and the slot it watches), and its pub/sub links (one for SUBSCRIBE/PSUBSCRIBE, one per
 * shard for SSUBSCRIBE). Touched only on the client's event loop.
 */
final class ClientState {
    /** Commands queued since MULTI; null outside a transaction. */
    List<byte[][]> queued;
    /** The slot every key of the transaction (and of WATCH) must hash to; -1 until a key is seen. */
    int txnSlot = -1;
    /** A queued command was refused: EXEC answers EXECABORT. */
    boolean txnDirty;
    /** The dedicated link WATCH runs on, null when nothing is watched. */
    BackendLink watchLink;
    /** The link SUBSCRIBE and PSUBSCRIBE run on. */
    BackendLink pubsub;
    /** SSUBSCRIBE links by backend address. */
    final Map<String, BackendLink> shardLinks = new HashMap<>();
    /** Channels and patterns subscribed, as the backends last counted them (RESP2's subscribed mode). */
    int subscriptions;
    final Map<String, Integer> shardSubscriptions = new HashMap<>();

    /** Slots this client wrote to since its last WAIT (null: none): the primaries a WAIT must ask. */
    private BitSet written;

    /** Notes a write to {@code slot} (0 for a sentinel backend), for the next WAIT. */
    void wrote(int slot) {
        if (slot < 0) {
            return;
        }
        if (written == null) {
            written = new BitSet();
        }
        written.set(slot);
    }

    /** The slots written since the last call (empty when none), forgetting them: WAIT starts a new count. */
    BitSet takeWritten() {
        BitSet out = written == null ? new BitSet() : written;
        written = null;
        return out;
    }

    boolean inTransaction() {
        return queued != null;
    }

    boolean subscribed() {
        if (subscriptions > 0) {
            return true;
        }
        for (int n : shardSubscriptions.values()) {
            if (n > 0) {
                return true;
            }
        }
        return false;
    }

    void startTransaction() {
        queued = new ArrayList<>();
        txnDirty = false;
        if (watchLink == null) {
            txnSlot = -1;
        }
    }

    void endTransaction() {
        queued = null;
        txnDirty = false;
        txnSlot = -1;
    }

    /** Gives back or closes every pinned link (the client left or sent RESET). */
    void release(LoopBackends backends) {
        queued = null;
        txnSlot = -1;
        BackendLink watched = watchLink;
        BackendLink subscribed = pubsub;
        List<BackendLink> shards = new ArrayList<>(shardLinks.values());
        watchLink = null;
        pubsub = null;
        shardLinks.clear();
        if (watched != null) {
            watched.close("ERR gateway: client went away");
        }
        if (subscribed != null) {
            subscribed.close("ERR gateway: client went away");
        }
        for (BackendLink l : shards) {
            l.close("ERR gateway: client went away");
        }
        subscriptions = 0;
        shardSubscriptions.clear();
    }
}
