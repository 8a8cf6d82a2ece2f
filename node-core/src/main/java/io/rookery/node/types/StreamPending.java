package io.rookery.node.types;

/**
 * One entry of a group's pending entries list (Redis's streamNACK): delivered to {@link #consumer}
 * at {@link #deliveryTime} (unix ms), {@link #deliveryCount} times so far. The same object sits in the
 * group's PEL and in its consumer's.
 */
public final class StreamPending {
    public final StreamId id;
    public StreamConsumer consumer;
    public long deliveryTime;
    public long deliveryCount;

    public StreamPending(StreamId id, StreamConsumer consumer, long deliveryTime, long deliveryCount) {
        this.id = id;
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
    }
}
