package io.rookery.node.types;

import io.rookery.node.keyspace.BinaryKey;
import java.util.TreeMap;

/**
 * A consumer group of a stream (Redis's streamCG): the last id delivered to it, its logical read
 * counter ({@link #INVALID_ENTRIES_READ} when unknown), the pending entries list of everything
 * delivered and not yet acknowledged, and its consumers, ordered by name as Redis's rax orders them.
 */
public final class StreamGroup {
    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter cannot be known. */
    public static final long INVALID_ENTRIES_READ = -1;

    private final byte[] name;
    public StreamId lastId;
    public long entriesRead;
    public final TreeMap<StreamId, StreamPending> pel = new TreeMap<>();
    public final TreeMap<BinaryKey, StreamConsumer> consumers = new TreeMap<>();

    public StreamGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public StreamConsumer consumer(byte[] consumerName) {
        return consumers.get(new BinaryKey(consumerName));
    }

    /** Creates the consumer (seen now); null when it already exists. */
    public StreamConsumer createConsumer(byte[] consumerName, long now) {
        BinaryKey k = new BinaryKey(consumerName);
        if (consumers.containsKey(k)) {
            return null;
        }
        StreamConsumer c = new StreamConsumer(consumerName, now);
        consumers.put(k, c);
        return c;
    }

    /** The consumer, created when missing. */
    public StreamConsumer consumerOrCreate(byte[] consumerName, long now) {
        StreamConsumer c = consumer(consumerName);
        return c != null ? c : createConsumer(consumerName, now);
    }

    /** Deletes a consumer and its pending entries from the group; returns how many were pending. */
    public long deleteConsumer(StreamConsumer c) {
        long pending = c.pel.size();
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(new BinaryKey(c.name()));
        return pending;
    }

    /** Acknowledges {@code id}: true when it was pending. */
    public boolean ack(StreamId id) {
        StreamPending p = pel.remove(id);
        if (p == null) {
            return false;
        }
        p.consumer.pel.remove(id);
        return true;
    }

    /** A detached deep copy (COPY), consumers and pending entries included. */
    StreamGroup copy() {
        StreamGroup g = new StreamGroup(name, lastId, entriesRead);
        for (StreamConsumer c : consumers.values()) {
            StreamConsumer cc = new StreamConsumer(c.name(), c.seenTime);
            g.consumers.put(new BinaryKey(c.name()), cc);
        }
        for (StreamPending p : pel.values()) {
            StreamConsumer owner = g.consumer(p.consumer.name());
            StreamPending pp = new StreamPending(p.id, owner, p.deliveryTime, p.deliveryCount);
            g.pel.put(p.id, pp);
            owner.pel.put(p.id, pp);
        }
        return g;
    }
}
