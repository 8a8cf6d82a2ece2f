package io.rookery.node.cluster;

/**
 * The parts of the node that cluster mode drives: replication (follow a primary), pub/sub (deliver a
 * message that came over the bus to local subscribers), the keyspace (drop a slot's keys once
 * another primary owns it) and the gate (pause writes during a manual failover). The node's assembly
 * implements it; cluster code sees nothing else.
 */
public interface ClusterNodeLinks {
    void replicate(String host, int port);

    /** Stop replicating and serve as a primary (a won failover). */
    void promote();

    /** Drops every key (CLUSTER RESET of a replica). */
    void emptyData();

    /** How old the replicated data is, in ms (0 on a primary). */
    long replicationDataAge(long now);

    void deliver(byte[] channel, byte[] message, boolean sharded);

    void deleteKeysInSlot(int slot);

    /**
     * Holds back write commands (clients wait, they get no error) until {@code untilMillis} or
     * {@link #unpauseWrites}, as Redis's PAUSE_DURING_FAILOVER; independent of CLIENT PAUSE.
     */
    void pauseWrites(long untilMillis);

    /** Ends the failover pause: the held-back commands go through the gate again. */
    void unpauseWrites();

    ClusterNodeLinks NONE = new ClusterNodeLinks() {
        @Override
        public void replicate(String host, int port) {
        }

        @Override
        public void promote() {
        }

        @Override
        public void emptyData() {
        }

        @Override
        public long replicationDataAge(long now) {
            return 0;
        }

        @Override
        public void deliver(byte[] channel, byte[] message, boolean sharded) {
        }

        @Override
        public void deleteKeysInSlot(int slot) {
        }

        @Override
        public void pauseWrites(long untilMillis) {
        }

        @Override
        public void unpauseWrites() {
        }
    };
}
