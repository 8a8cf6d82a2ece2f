package io.rookery.node.types;

import java.util.TreeMap;

/** A consumer of a group (Redis's streamConsumer): its name, when it was last seen, its own pending entries. */
public final class StreamConsumer {
    private final byte[] name;
    public long seenTime;
    public final TreeMap<StreamId, StreamPending> pel = new TreeMap<>();

    public StreamConsumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    public byte[] name() {
        return name;
    }
}
