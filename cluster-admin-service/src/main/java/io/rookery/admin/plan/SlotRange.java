package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * An inclusive range of hash slots {@code start..end}, as {@code CLUSTER NODES} and {@code CLUSTER SHARDS} show
 * them. Both ends lie in {@code 0..16383} and {@code start <= end}.
 */
public record SlotRange(int start, int end) {
    /** The number of hash slots of a cluster. */
    public static final int SLOTS = 16384;

    public SlotRange {
        if (start < 0 || end >= SLOTS || start > end) {
            throw new IllegalArgumentException("bad slot range " + start + "-" + end);
        }
    }

    /** The range holding the single slot {@code slot}. */
    public static SlotRange of(int slot) {
        return new SlotRange(slot, slot);
    }

    /** The number of slots in the range. */
    public int size() {
        return end - start + 1;
    }

    public boolean contains(int slot) {
        return slot >= start && slot <= end;
    }

    /** The ranges, in ascending order and merged where adjacent, that cover exactly the set bits of {@code slots}. */
    public static List<SlotRange> compress(BitSet slots) {
        List<SlotRange> ranges = new ArrayList<>();
        int start = slots.nextSetBit(0);
        while (start >= 0 && start < SLOTS) {
            int end = slots.nextClearBit(start) - 1;
            ranges.add(new SlotRange(start, Math.min(end, SLOTS - 1)));
            start = slots.nextSetBit(end + 1);
        }
        return List.copyOf(ranges);
    }

    /** The ranges covering exactly {@code slots} (any order, duplicates ignored). */
    public static List<SlotRange> compress(Collection<Integer> slots) {
        return compress(bits(slots));
    }

    /** The slots of {@code ranges} as a bit set. */
    public static BitSet bits(List<SlotRange> ranges) {
        BitSet bits = new BitSet(SLOTS);
        for (SlotRange range : ranges) {
            bits.set(range.start, range.end + 1);
        }
        return bits;
    }

    private static BitSet bits(Collection<Integer> slots) {
        BitSet bits = new BitSet(SLOTS);
        for (int slot : slots) {
            bits.set(slot);
        }
        return bits;
    }

    @Override
    public String toString() {
        return start == end ? Integer.toString(start) : start + "-" + end;
    }
}
