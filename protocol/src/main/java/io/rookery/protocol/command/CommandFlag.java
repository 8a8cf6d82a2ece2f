package io.rookery.protocol.command;

import java.util.Locale;

/** Redis 7.0's command flags, as {@code COMMAND INFO} names them, in the order it lists them (server.c). */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR,
    SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL, NO_MANDATORY_KEYS,
    NO_ASYNC_LOADING, NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name as COMMAND replies it ("readonly", "no_auth", ...). */
    public String wireName() {
        return wireName;
    }

    public int bit() {
        return 1 << ordinal();
    }

    public static CommandFlag ofWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
