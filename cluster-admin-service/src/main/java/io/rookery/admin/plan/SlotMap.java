package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A mutable slot → owner table started from a snapshot, that planners apply their moves to so that they can
 * report the figures after the plan (and tests can check the outcome). Not thread-safe; one per planning call.
 */
public final class SlotMap {
    private final ClusterTopology topology;
    private final String[] owners;

    public SlotMap(ClusterTopology topology) {
        this.topology = topology;
        this.owners = topology.slotOwners();
    }

    /** The owner of {@code slot}, {@code null} when uncovered. */
    public String owner(int slot) {
        return owners[slot];
    }

    /** Makes {@code move.targetId()} the owner of {@code move.slot()}; the source must own it now. */
    public void apply(SlotMove move) {
        if (!move.sourceId().equals(owners[move.slot()])) {
            throw new IllegalStateException("slot " + move.slot() + " is owned by " + owners[move.slot()]
                    + ", not " + move.sourceId());
        }
        owners[move.slot()] = move.targetId();
    }

    /** Applies every move in order. */
    public SlotMap applyAll(List<SlotMove> moves) {
        moves.forEach(this::apply);
        return this;
    }

    /** Makes {@code nodeId} the owner of {@code slot} whoever had it. */
    public void assign(int slot, String nodeId) {
        owners[slot] = nodeId;
    }

    /** The slots {@code nodeId} owns, ascending. */
    public List<Integer> slotsOf(String nodeId) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < SlotRange.SLOTS; slot++) {
            if (nodeId.equals(owners[slot])) {
                slots.add(slot);
            }
        }
        return slots;
    }

    /** The slots {@code nodeId} owns, as ranges. */
    public List<SlotRange> rangesOf(String nodeId) {
        BitSet bits = new BitSet(SlotRange.SLOTS);
        for (int slot = 0; slot < SlotRange.SLOTS; slot++) {
            if (nodeId.equals(owners[slot])) {
                bits.set(slot);
            }
        }
        return SlotRange.compress(bits);
    }

    /** The number of slots {@code nodeId} owns. */
    public int slotCount(String nodeId) {
        int count = 0;
        for (String owner : owners) {
            if (nodeId.equals(owner)) {
                count++;
            }
        }
        return count;
    }

    /** The sum of {@code metric} over the slots {@code nodeId} owns ({@code null} metric: the slot count). */
    public long load(String nodeId, LoadMetric metric) {
        if (metric == null) {
            return slotCount(nodeId);
        }
        long sum = 0;
        for (int slot = 0; slot < SlotRange.SLOTS; slot++) {
            if (nodeId.equals(owners[slot])) {
                sum += topology.load(slot, metric);
            }
        }
        return sum;
    }

    /** The figures of each of {@code primaries} by this table, in the given order. */
    public List<PrimaryFigures> figures(List<ClusterNode> primaries, LoadMetric metric) {
        long[] keys = new long[primaries.size()];
        long[] bytes = new long[primaries.size()];
        long[] load = new long[primaries.size()];
        int[] slots = new int[primaries.size()];
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < primaries.size(); i++) {
            index.put(primaries.get(i).id(), i);
        }
        for (int slot = 0; slot < SlotRange.SLOTS; slot++) {
            Integer i = owners[slot] == null ? null : index.get(owners[slot]);
            if (i == null) {
                continue;
            }
            slots[i]++;
            keys[i] += topology.load(slot, LoadMetric.KEYS);
            bytes[i] += topology.load(slot, LoadMetric.MEMORY_BYTES);
            load[i] += metric == null ? 1 : topology.load(slot, metric);
        }
        List<PrimaryFigures> figures = new ArrayList<>();
        for (int i = 0; i < primaries.size(); i++) {
            ClusterNode node = primaries.get(i);
            figures.add(new PrimaryFigures(node.id(), node.endpoint(), slots[i], keys[i], bytes[i], load[i]));
        }
        return figures;
    }
}
