package io.rookery.admin.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster as read at one moment, node by node. Slot ownership is what each primary says of itself
 * (its {@code myself} line), as redis-cli --cluster check reads it; whether the others agree is the
 * health check's business.
 */
public record ClusterSnapshot(List<NodeState> nodes, Instant readAt) {

    public Optional<NodeState> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public Optional<NodeState> node(NodeAddress address) {
        return nodes.stream().filter(n -> address.equals(n.address())).findFirst();
    }

    public List<NodeState> primaries() {
        return nodes.stream().filter(n -> n.self().primary()).sorted(Comparator.comparing(NodeState::id)).toList();
    }

    public List<NodeState> replicasOf(String primaryId) {
        return nodes.stream().filter(n -> primaryId.equals(n.self().primaryId())).toList();
    }

    /** Slot → owner id, for every slot some primary claims (the first claimant when two do). */
    public String[] owners() {
        String[] owners = new String[16384];
        for (NodeState n : primaries()) {
            BitSet s = n.self().slots();
            for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
                if (owners[i] == null) {
                    owners[i] = n.id();
                }
            }
        }
        return owners;
    }

    /**
     * A slot that no primary claims is being imported by some node: the snapshot read the slot's new
     * owner while it was still importing and its old owner after it had let the slot go (a move's
     * {@code SETSLOT NODE} fell between the two reads). The cluster did not lose the slot; the read
     * straddled its handover.
     */
    public boolean straddlesAHandover() {
        BitSet covered = covered();
        for (NodeState n : nodes) {
            for (Integer slot : n.self().importing().keySet()) {
                if (!covered.get(slot)) {
                    return true;
                }
            }
        }
        return false;
    }

    public BitSet covered() {
        BitSet all = new BitSet(16384);
        primaries().forEach(n -> all.or(n.self().slots()));
        return all;
    }

    /** Open slots: slot → the nodes that have it migrating or importing, as "id migrating to id" texts. */
    public Map<Integer, List<String>> openSlots() {
        Map<Integer, List<String>> open = new TreeMap<>();
        for (NodeState n : nodes) {
            n.self().migrating().forEach((slot, to) -> open.computeIfAbsent(slot, k -> new ArrayList<>())
                    .add(n.id() + " migrating to " + to));
            n.self().importing().forEach((slot, from) -> open.computeIfAbsent(slot, k -> new ArrayList<>())
                    .add(n.id() + " importing from " + from));
        }
        return open;
    }
}
