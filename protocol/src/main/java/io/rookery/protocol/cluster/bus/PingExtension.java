package io.rookery.protocol.cluster.bus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ping extension ({@code clusterMsgPingExt}): a type and its payload, padded on the wire to 8
 * bytes (the payload here includes that padding). Redis 7.0.15 defines one type, the announced hostname (a NUL-terminated string); others are
 * carried through as bytes and ignored, as Redis ignores them.
 */
public record PingExtension(int type, byte[] payload) {
    public static final int HOSTNAME = 0;

    /** The payload is kept as it travels: padded with NULs to a multiple of 8 bytes. */
    public PingExtension {
        payload = Arrays.copyOf(payload, (payload.length + 7) / 8 * 8);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public static PingExtension hostname(String hostname) {
        byte[] text = hostname.getBytes(StandardCharsets.UTF_8);
        return new PingExtension(HOSTNAME, Arrays.copyOf(text, text.length + 1));
    }

    /** The hostname of a HOSTNAME extension: the payload up to its first NUL. */
    public String hostnameText() {
        int end = 0;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        return new String(payload, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PingExtension e && e.type == type && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(payload);
    }
}
