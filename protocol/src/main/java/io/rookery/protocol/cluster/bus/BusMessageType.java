package io.rookery.protocol.cluster.bus;

/** The message types of Redis 7.0's cluster bus, with their wire codes ({@code CLUSTERMSG_TYPE_*}). */
public enum BusMessageType {
    PING(0),
    PONG(1),
    MEET(2),
    FAIL(3),
    PUBLISH(4),
    FAILOVER_AUTH_REQUEST(5),
    FAILOVER_AUTH_ACK(6),
    UPDATE(7),
    MFSTART(8),
    MODULE(9),
    PUBLISHSHARD(10);

    private static final BusMessageType[] BY_CODE = values();

    private final int code;

    BusMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a wire code, or null for a code this version does not know (Redis accepts those as they are). */
    public static BusMessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** PING, PONG and MEET carry gossip sections and ping extensions. */
    public boolean carriesGossip() {
        return this == PING || this == PONG || this == MEET;
    }
}
