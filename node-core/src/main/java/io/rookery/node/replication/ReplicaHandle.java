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
    /** The stream produced while the snapshot was being made, sent right after it. */
    final List<byte[]> pending = new ArrayList<>();
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
