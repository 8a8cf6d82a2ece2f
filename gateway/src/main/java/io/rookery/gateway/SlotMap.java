package io.rookery.gateway;

import io.rookery.protocol.cluster.SlotHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which primary serves each of the 16384 slots, as one immutable snapshot: routing reads it without
 * locks, a refresh replaces it whole. {@code version} grows by one each time the assignment changes;
 * {@code takenAtMillis} is when the view was last confirmed (a refresh that finds nothing new keeps
 * the version and renews the time).
 *
 * @param owners        slot → "host:port" of its primary; null for a slot nobody serves
 * @param nodes         every node the view knows, primaries and replicas
 * @param version       the assignment's version (1 for the first)
 * @param takenAtMillis when the view was taken or last confirmed
 */
public record SlotMap(String[] owners, List<NodeView> nodes, long version, long takenAtMillis) {

    /**
     * One node of the view.
     *
     * @param id        the node id ("" when unknown: a sentinel-managed primary)
     * @param address   "host:port"
     * @param primary   true for a primary
     * @param primaryOf for a replica, the id of its primary
     * @param failed    flagged fail (or pfail) by the node the view came from
     * @param epoch     config epoch
     */
    public record NodeView(String id, String address, boolean primary, String primaryOf, boolean failed, long epoch) {
    }

    public static final SlotMap EMPTY = new SlotMap(new String[SlotHash.SLOT_COUNT], List.of(), 0, 0);

    /** Every slot on one primary: a sentinel-managed group. */
    public static SlotMap single(String address, long version) {
        String[] owners = new String[SlotHash.SLOT_COUNT];
        Arrays.fill(owners, address);
        return new SlotMap(owners, List.of(new NodeView("", address, true, null, false, 0)), version,
                System.currentTimeMillis());
    }

    public String ownerOf(int slot) {
        return owners[slot];
    }

    /** The primaries that serve at least one slot, sorted by address (SCAN's cursor indexes this list). */
    public List<String> primaries() {
        return new ArrayList<>(new TreeSet<>(Arrays.stream(owners).filter(o -> o != null).toList()));
    }

    public int servedSlots() {
        int n = 0;
        for (String o : owners) {
            if (o != null) {
                n++;
            }
        }
        return n;
    }

    public boolean covered() {
        return servedSlots() == SlotHash.SLOT_COUNT;
    }

    /** True when both assign every slot to the same primary. */
    public boolean sameAssignment(SlotMap other) {
        return Arrays.equals(owners, other.owners);
    }

    public SlotMap withVersion(long version, long takenAtMillis) {
        return new SlotMap(owners, nodes, version, takenAtMillis);
    }

    /** The replicas of the primary at {@code address} not flagged failed, in the view's order. */
    public List<String> replicasOf(String address) {
        String id = null;
        for (NodeView n : nodes) {
            if (n.primary() && n.address().equals(address)) {
                id = n.id();
                break;
            }
        }
        List<String> out = new ArrayList<>();
        if (id == null || id.isEmpty()) {
            return out;
        }
        for (NodeView n : nodes) {
            if (!n.primary() && !n.failed() && id.equals(n.primaryOf())) {
                out.add(n.address());
            }
        }
        return out;
    }

    /** Slots served by {@code address}. */
    public int slotsOf(String address) {
        int n = 0;
        for (String o : owners) {
            if (address.equals(o)) {
                n++;
            }
        }
        return n;
    }
}
