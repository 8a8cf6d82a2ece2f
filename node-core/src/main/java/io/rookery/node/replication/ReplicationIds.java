package io.rookery.node.replication;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Replication ids: the current history (replid) and the previous one kept after a promotion (replid2). */
final class ReplicationIds {
    static final String NONE = "0000000000000000000000000000000000000000";

    String replid = random();
    String replid2 = NONE;
    long secondOffset = -1;

    static String random() {
        byte[] b = new byte[20];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A new history begins (promotion, or a fresh primary): the old one stays valid up to {@code offset}. */
    void shift(long offset) {
        replid2 = replid;
        secondOffset = offset + 1;
        replid = random();
    }
}
