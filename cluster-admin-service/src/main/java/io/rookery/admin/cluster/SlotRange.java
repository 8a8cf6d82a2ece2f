package io.rookery.admin.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** A run of consecutive slots, both ends included, as CLUSTER NODES and the REST API show them. */
public record SlotRange(int first, int last) {
    public SlotRange {
        if (first < 0 || last > 16383 || first > last) {
            throw new IllegalArgumentException("not a slot range: " + first + "-" + last);
        }
    }

    public int size() {
        return last - first + 1;
    }

    /** The runs of set bits, in slot order. */
    public static List<SlotRange> of(BitSet slots) {
        List<SlotRange> out = new ArrayList<>();
        int from = slots.nextSetBit(0);
        while (from >= 0 && from < 16384) {
            int to = slots.nextClearBit(from) - 1;
            out.add(new SlotRange(from, Math.min(to, 16383)));
            from = slots.nextSetBit(to + 1);
        }
        return out;
    }

    /** Parses {@code 5461} or {@code 0-5460}. */
    public static SlotRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            int s = Integer.parseInt(text.trim());
            return new SlotRange(s, s);
        }
        return new SlotRange(Integer.parseInt(text.substring(0, dash).trim()), Integer.parseInt(text.substring(dash + 1).trim()));
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
