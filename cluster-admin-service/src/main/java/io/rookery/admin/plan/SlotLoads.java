package io.rookery.admin.plan;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The optional per-slot load figures of a {@link ClusterTopology}.
 *
 * @param measured which metrics were measured; {@link #none()} when nothing is known (real Redis 7.0 without
 *                 counting keys). {@link LoadMetric#NETWORK_BYTES} is implied when both network directions are.
 * @param bySlot   slot → figures; a slot missing from the map has all figures 0 (an empty slot)
 */
public record SlotLoads(Set<LoadMetric> measured, Map<Integer, SlotLoad> bySlot) {

    public SlotLoads {
        EnumSet<LoadMetric> metrics = EnumSet.noneOf(LoadMetric.class);
        if (measured != null) {
            metrics.addAll(measured);
        }
        if (metrics.contains(LoadMetric.NETWORK_BYTES_IN) && metrics.contains(LoadMetric.NETWORK_BYTES_OUT)) {
            metrics.add(LoadMetric.NETWORK_BYTES);
        }
        measured = Set.copyOf(metrics);
        bySlot = bySlot == null ? Map.of() : Map.copyOf(bySlot);
    }

    /** Nothing measured. */
    public static SlotLoads none() {
        return new SlotLoads(Set.of(), Map.of());
    }

    /** Only key counts (slot → keys), e.g. from {@code CLUSTER COUNTKEYSINSLOT} on real Redis 7.0. */
    public static SlotLoads keysOnly(Map<Integer, Long> keysBySlot) {
        java.util.HashMap<Integer, SlotLoad> loads = new java.util.HashMap<>();
        keysBySlot.forEach((slot, keys) -> loads.put(slot, SlotLoad.keysOnly(slot, keys)));
        return new SlotLoads(Set.of(LoadMetric.KEYS), loads);
    }

    /** All of {@code CLUSTER SLOT-STATS}'s figures. */
    public static SlotLoads full(Map<Integer, SlotLoad> bySlot) {
        return new SlotLoads(EnumSet.allOf(LoadMetric.class), bySlot);
    }

    public boolean isMeasured(LoadMetric metric) {
        return measured.contains(metric);
    }

    /** The figure of {@code metric} for {@code slot}, 0 when unknown. */
    public long value(int slot, LoadMetric metric) {
        SlotLoad load = bySlot.get(slot);
        return load == null ? 0 : load.value(metric);
    }
}
