package io.rookery.protocol.cluster.bus;

import java.util.BitSet;

/**
 * The fixed part of every cluster bus message ({@code clusterMsg} up to its {@code data} union): who
 * sends, what it serves, and what it believes. Node names are the 40-character hex ids; {@code replicaOf}
 * is null for a primary; {@code myIp} is empty when the sender lets receivers use the socket's address;
 * {@code slots} is the sender's (or, for a replica, its primary's) slot bitmap. Counts and lengths
 * ({@code count}, {@code extensions}, {@code totlen}) are not here: the codec derives them from the body.
 *
 * @param type         the wire type code ({@link BusMessageType#of} maps known ones)
 * @param port         the sender's client port
 * @param currentEpoch the sender's current epoch
 * @param configEpoch  the config epoch of the sender, or of its primary when it is a replica
 * @param offset       the sender's replication offset
 * @param messageFlags {@code mflags[0]}: {@link #FLAG_PAUSED}, {@link #FLAG_FORCEACK}; the codec sets
 *                     {@link #FLAG_EXT_DATA} itself when the body has ping extensions
 * @param nodeFlags    the sender's node flags ({@code CLUSTER_NODE_*})
 * @param state        the cluster state the sender sees: 0 ok, 1 fail
 */
public record BusHeader(int type, int port, long currentEpoch, long configEpoch, long offset, String sender, BitSet slots,
        String replicaOf, String myIp, int pport, int cport, int nodeFlags, int state, int messageFlags) {
    public static final int FLAG_PAUSED = 1;
    public static final int FLAG_FORCEACK = 1 << 1;
    public static final int FLAG_EXT_DATA = 1 << 2;

    public static final int NODE_MASTER = 1;
    public static final int NODE_SLAVE = 2;
    public static final int NODE_PFAIL = 4;
    public static final int NODE_FAIL = 8;
    public static final int NODE_MYSELF = 16;
    public static final int NODE_HANDSHAKE = 32;
    public static final int NODE_NOADDR = 64;
    public static final int NODE_MEET = 128;
    public static final int NODE_MIGRATE_TO = 256;
    public static final int NODE_NOFAILOVER = 512;

    public BusHeader {
        slots = (BitSet) slots.clone();
        myIp = myIp == null ? "" : myIp;
    }

    @Override
    public BitSet slots() {
        return (BitSet) slots.clone();
    }

    /** The known type of this message, or null when the code is one this version does not know. */
    public BusMessageType knownType() {
        return BusMessageType.of(type);
    }
}
