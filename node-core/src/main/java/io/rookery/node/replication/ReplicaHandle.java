package io.rookery.node.replication;

import io.rookery.node.client.Client;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A replica as its primary sees it: its connection, sync state and acknowledged offset. */
final class ReplicaHandle {
    enum State { WAIT_SNAPSHOT, SENDING_SNAPSHOT, ONLINE }

    final Client client;
    State state;
    long ackOffset;
    long lastAckMillis = System.currentTimeMillis();
    final long waitingSince = System.currentTimeMillis();
    /**
     * The stream produced while the snapshot was being made, sent right after it; after a diskless
     * snapshot, also the stream produced until the replica's first ACK ({@link #streamOnAck}).
     */
    final List<byte[]> pending = new ArrayList<>();
    /**
     * Online, but the command stream waits for the replica's first REPLCONF ACK (Redis's
     * repl_start_cmd_stream_on_ack): after a diskless RDB the replica finds the end by the EOF mark
     * being the last bytes it read, so nothing may follow the mark until it has loaded the RDB.
     */
    boolean streamOnAck;
    Path snapshotFile;

    ReplicaHandle(Client client, State state) {
        this.client = client;
        this.state = state;
    }

    /** The address the replica announced (replica-announce-ip), else the one it connected from. */
    String ip() {
        if (!client.replicaAnnouncedIp.isEmpty()) {
            return client.replicaAnnouncedIp;
        }
        String addr = client.connection().remoteAddress();
        return addr.substring(0, addr.lastIndexOf(':'));
    }
}
