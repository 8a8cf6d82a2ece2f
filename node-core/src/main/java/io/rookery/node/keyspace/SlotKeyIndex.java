package io.rookery.node.keyspace;

import io.rookery.protocol.cluster.SlotHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of a database grouped by cluster slot, kept only in cluster mode, so that
 * COUNTKEYSINSLOT answers at once and GETKEYSINSLOT costs the keys of that slot (Redis keeps
 * {@code slots_to_keys} for the same reason). The sets share the key arrays of the key table.
 */
public final class SlotKeyIndex {
    private final int[] counts = new int[SlotHash.SLOT_COUNT];
    @SuppressWarnings("unchecked")
    private final Set<BinaryKey>[] keys = new Set[SlotHash.SLOT_COUNT];

    void add(byte[] key) {
        int slot = SlotHash.slot(key);
        Set<BinaryKey> set = keys[slot];
        if (set == null) {
            set = keys[slot] = new HashSet<>();
        }
        if (set.add(new BinaryKey(key))) {
            counts[slot]++;
        }
    }

    void remove(byte[] key) {
        int slot = SlotHash.slot(key);
        Set<BinaryKey> set = keys[slot];
        if (set != null && set.remove(new BinaryKey(key))) {
            counts[slot]--;
            if (set.isEmpty()) {
                keys[slot] = null;
            }
        }
    }

    void clear() {
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(keys, null);
    }

    public int count(int slot) {
        return counts[slot];
    }

    /** Visits every key of the slot (the key arrays of the key table; do not change the keyspace meanwhile). */
    public void forEachKey(int slot, java.util.function.Consumer<byte[]> action) {
        Set<BinaryKey> set = keys[slot];
        if (set != null) {
            for (BinaryKey k : set) {
                action.accept(k.bytes());
            }
        }
    }

    /** Up to {@code max} keys of the slot, in no particular order. */
    public List<byte[]> keys(int slot, long max) {
        List<byte[]> out = new ArrayList<>();
        Set<BinaryKey> set = keys[slot];
        if (set != null) {
            for (BinaryKey k : set) {
                if (out.size() >= max) {
                    break;
                }
                out.add(k.bytes());
            }
        }
        return out;
    }
}
