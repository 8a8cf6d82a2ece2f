package io.rookery.protocol.cluster.bus;

/** A whole cluster bus message: the header and the body its type calls for. */
public record BusMessage(BusHeader header, BusBody body) {
}
