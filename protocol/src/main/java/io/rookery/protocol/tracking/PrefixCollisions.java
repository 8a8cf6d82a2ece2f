package io.rookery.protocol.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The BCAST prefixes of one connection must not overlap (one a prefix of the other), or a key would be
 * announced twice: redis-server 7.0's {@code checkPrefixCollisionsOrReply}, with its two error texts.
 */
public final class PrefixCollisions {
    private PrefixCollisions() {
    }

    /**
     * Takes the new prefixes in the order given; for each, first the prefixes the connection has (in the
     * iteration order of {@code existing}: byte order, as Redis's radix tree, for {@link TrackingSettings})
     * and then the new prefixes after it. The first overlap found is the error.
     *
     * @throws TrackingCommandError "Prefix 'new' overlaps with an existing prefix 'old'" or "... with another
     *                              provided prefix 'later'", each ending "Prefixes for a single client must not overlap."
     */
    public static void check(Collection<byte[]> existing, List<byte[]> added) {
        for (int i = 0; i < added.size(); i++) {
            byte[] p = added.get(i);
            for (byte[] e : existing) {
                if (overlap(e, p)) {
                    throw new TrackingCommandError("ERR Prefix '" + text(p) + "' overlaps with an existing prefix '"
                            + text(e) + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < added.size(); j++) {
                if (overlap(p, added.get(j))) {
                    throw new TrackingCommandError("ERR Prefix '" + text(p) + "' overlaps with another provided prefix '"
                            + text(added.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
