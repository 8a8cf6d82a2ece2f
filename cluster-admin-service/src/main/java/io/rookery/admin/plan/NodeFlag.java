package io.rookery.admin.plan;

/**
 * The flags of {@code CLUSTER NODES} that matter to planning (besides the role). A node with {@link #FAIL},
 * {@link #PFAIL}, {@link #HANDSHAKE} or {@link #NOADDR} is not {@linkplain ClusterNode#healthy() healthy}; planners
 * never choose an unhealthy node as the target of a move.
 */
public enum NodeFlag {
    /** {@code myself}: the node the snapshot was read from. */
    MYSELF,
    /** {@code fail}: the majority of primaries agree the node is down. */
    FAIL,
    /** {@code fail?}: the reading node suspects the node is down. */
    PFAIL,
    /** {@code handshake}: not yet a trusted member. */
    HANDSHAKE,
    /** {@code noaddr}: no address known. */
    NOADDR,
    /** {@code nofailover}: a replica that never fails over. */
    NOFAILOVER
}
