package io.rookery.gateway;

import java.util.Locale;

/**
 * One class of Redis's {@code client-output-buffer-limit}: a client whose unsent output reaches
 * {@code hardBytes}, or stays at or above {@code softBytes} for {@code softSeconds}, is disconnected
 * (0 disables a limit). Checked, as Redis does, whenever output is written to the client.
 *
 * @param hardBytes   unsent bytes at which the client is cut off at once (0: none)
 * @param softBytes   unsent bytes the client may stay above only for {@code softSeconds} (0: none)
 * @param softSeconds how long the soft limit may be exceeded
 */
public record OutputBufferLimit(long hardBytes, long softBytes, long softSeconds) {

    /** Redis's default for normal clients: no limit. */
    public static final OutputBufferLimit NORMAL_DEFAULT = new OutputBufferLimit(0, 0, 0);
    /** Redis's default for pub/sub clients: 32mb 8mb 60. */
    public static final OutputBufferLimit PUBSUB_DEFAULT = new OutputBufferLimit(32L << 20, 8L << 20, 60);

    public OutputBufferLimit {
        if (hardBytes < 0 || softBytes < 0 || softSeconds < 0) {
            throw new IllegalArgumentException("output buffer limits cannot be negative");
        }
    }

    /** Parses Redis's form, "hard soft seconds" with memory units ("32mb 8mb 60", "0 0 0", "1gb 512m 30"). */
    public static OutputBufferLimit parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length != 3) {
            throw new IllegalArgumentException("an output buffer limit is \"<hard> <soft> <seconds>\", not \"" + text + "\"");
        }
        return new OutputBufferLimit(bytes(f[0]), bytes(f[1]), Long.parseLong(f[2]));
    }

    /** Redis's memory units: k/m/g are powers of 1000, kb/mb/gb powers of 1024. */
    static long bytes(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
                {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        return Long.parseLong(t) * unit;
    }

    /**
     * Whether a client with {@code pending} unsent bytes must go now; {@code softSince} is when it went
     * over the soft limit (0: it is not over), kept by the caller and updated through the return of
     * {@link #softSince}.
     */
    boolean exceeded(long pending, long softSinceMillis, long nowMillis) {
        if (hardBytes > 0 && pending >= hardBytes) {
            return true;
        }
        return softBytes > 0 && pending >= softBytes && softSinceMillis != 0
                && nowMillis - softSinceMillis >= softSeconds * 1000;
    }

    /** The time the client is over the soft limit since: {@code now} when it just went over, 0 when under. */
    long softSince(long pending, long softSinceMillis, long nowMillis) {
        if (softBytes == 0 || pending < softBytes) {
            return 0;
        }
        return softSinceMillis == 0 ? nowMillis : softSinceMillis;
    }

    @Override
    public String toString() {
        return hardBytes + " " + softBytes + " " + softSeconds;
    }
}
