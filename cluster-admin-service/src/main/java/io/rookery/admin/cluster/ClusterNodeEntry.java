package io.rookery.admin.cluster;

import io.rookery.admin.plan.SlotRange;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of CLUSTER NODES as one node sees it:
 * {@code <id> <ip:port@cport[,hostname]> <flags> <primary|-> <ping-sent> <pong-recv> <config-epoch>
 * <link-state> <slot>...}, where a slot is {@code n}, {@code a-b}, and only on the {@code myself} line
 * {@code [n->-id]} (migrating to id) or {@code [n-<-id]} (importing from id).
 *
 * @param address null when the node has no address yet ({@code noaddr}, or {@code :0})
 * @param primaryId the primary's id for a replica, else null
 */
public record ClusterNodeEntry(String id, NodeAddress address, int busPort, String hostname, Set<String> flags,
                               String primaryId, long pingSent, long pongReceived, long configEpoch, String linkState,
                               BitSet slots, Map<Integer, String> migrating, Map<Integer, String> importing) {

    public boolean myself() {
        return flags.contains("myself");
    }

    public boolean primary() {
        return flags.contains("master");
    }

    public boolean replica() {
        return flags.contains("slave");
    }

    /** FAIL (agreed) or PFAIL (this node's suspicion). */
    public boolean failing() {
        return flags.contains("fail") || flags.contains("fail?");
    }

    public boolean reachable() {
        return address != null && !flags.contains("noaddr") && !flags.contains("handshake");
    }

    public List<SlotRange> slotRanges() {
        return SlotRange.compress(slots);
    }

    public int slotCount() {
        return slots.cardinality();
    }
}
