package io.rookery.admin.cluster;

import io.rookery.admin.plan.LoadMetric;
import io.rookery.admin.plan.SlotLoad;
import io.rookery.admin.plan.SlotLoads;
import io.rookery.protocol.RespValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-slot load figures of a cluster, from each primary's own slots. A node with {@code CLUSTER
 * SLOT-STATS} (Valkey 8's syntax, which Rookery speaks: {@code SLOTSRANGE 0 16383}, a reply of
 * {@code [slot, {key-count, cpu-usec, network-bytes-in, network-bytes-out, memory...}]} per slot) gives
 * every figure; a node without it (real Redis 7.0 answers an error) gives key counts through
 * {@code COUNTKEYSINSLOT}, pipelined. The figures the cluster as a whole measured are those every
 * primary with slots measured.
 */
public final class SlotStatsReader {
    private static final int PIPELINE = 1024;

    private SlotStatsReader() {
    }

    public static SlotLoads read(ClusterSnapshot snapshot, ClusterConnections connections) {
        Map<Integer, SlotLoad> bySlot = new HashMap<>();
        EnumSet<LoadMetric> measured = EnumSet.allOf(LoadMetric.class);
        boolean any = false;
        for (NodeState n : snapshot.primaries()) {
            BitSet owned = n.self().slots();
            if (!n.reached() || owned.isEmpty()) {
                continue;
            }
            any = true;
            NodeConnection c = connections.to(n.address());
            Set<LoadMetric> got = slotStats(c, owned, bySlot);
            if (got == null) {
                countKeys(c, owned, bySlot);
                got = EnumSet.of(LoadMetric.KEYS);
            }
            measured.retainAll(got);
        }
        return any ? new SlotLoads(measured, bySlot) : SlotLoads.none();
    }

    /** The node's SLOT-STATS for its slots; null when the node has no such command. */
    static Set<LoadMetric> slotStats(NodeConnection c, BitSet owned, Map<Integer, SlotLoad> into) {
        RespValue reply = c.callAll(List.<String[]>of(new String[]{"CLUSTER", "SLOT-STATS", "SLOTSRANGE", "0", "16383"}))
                .get(0);
        if (reply instanceof RespValue.Error) {
            return null;
        }
        EnumSet<LoadMetric> got = EnumSet.noneOf(LoadMetric.class);
        for (RespValue entry : RespValues.elements(reply)) {
            List<RespValue> pair = RespValues.elements(entry);
            if (pair.size() < 2) {
                continue;
            }
            int slot = (int) RespValues.integer(pair.get(0));
            if (!owned.get(slot)) {
                continue;
            }
            long keys = 0;
            long memory = 0;
            long cpu = 0;
            long in = 0;
            long out = 0;
            List<RespValue> fields = RespValues.elements(pair.get(1));
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String name = RespValues.text(fields.get(i)).toLowerCase(Locale.ROOT);
                long value = RespValues.integer(fields.get(i + 1));
                if (name.equals("key-count")) {
                    keys = value;
                    got.add(LoadMetric.KEYS);
                } else if (name.equals("cpu-usec")) {
                    cpu = value;
                    got.add(LoadMetric.CPU_USEC);
                } else if (name.equals("network-bytes-in")) {
                    in = value;
                    got.add(LoadMetric.NETWORK_BYTES_IN);
                } else if (name.equals("network-bytes-out")) {
                    out = value;
                    got.add(LoadMetric.NETWORK_BYTES_OUT);
                } else if (name.contains("memory")) {
                    memory = value;
                    got.add(LoadMetric.MEMORY_BYTES);
                }
            }
            into.put(slot, new SlotLoad(slot, keys, memory, cpu, in, out));
        }
        if (got.contains(LoadMetric.NETWORK_BYTES_IN) && got.contains(LoadMetric.NETWORK_BYTES_OUT)) {
            got.add(LoadMetric.NETWORK_BYTES);
        }
        return got;
    }

    /** COUNTKEYSINSLOT for each of {@code slots} on the node, pipelined; slots without keys are left out. */
    public static Map<Integer, Long> countKeys(NodeConnection c, BitSet slots) {
        Map<Integer, Long> counts = new HashMap<>();
        List<Integer> batch = new ArrayList<>();
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            batch.add(s);
            if (batch.size() == PIPELINE) {
                countBatch(c, batch, counts);
            }
        }
        countBatch(c, batch, counts);
        return counts;
    }

    private static void countKeys(NodeConnection c, BitSet owned, Map<Integer, SlotLoad> into) {
        countKeys(c, owned).forEach((slot, keys) -> into.put(slot, SlotLoad.keysOnly(slot, keys)));
    }

    private static void countBatch(NodeConnection c, List<Integer> batch, Map<Integer, Long> counts) {
        if (batch.isEmpty()) {
            return;
        }
        List<String[]> commands = batch.stream().map(s -> new String[]{"CLUSTER", "COUNTKEYSINSLOT", s.toString()}).toList();
        List<RespValue> replies = c.callAll(commands);
        for (int i = 0; i < batch.size(); i++) {
            if (replies.get(i) instanceof RespValue.Integer n && n.value() > 0) {
                counts.put(batch.get(i), n.value());
            }
        }
        batch.clear();
    }
}
