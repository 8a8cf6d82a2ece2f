package io.rookery.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rookery.node.RookeryNode;
import io.rookery.node.cluster.Cluster;
import io.rookery.node.cluster.ClusterMetricsSnapshot;
import io.rookery.node.cluster.ClusterMetricsSnapshot.SlotLoad;
import io.rookery.node.cluster.ClusterStats;
import io.rookery.node.cluster.ClusterStats.Redirect;
import io.rookery.protocol.cluster.bus.BusMessageType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Cluster metrics for Prometheus, when the node runs in cluster mode: state, known nodes, size, slots
 * by health, epochs, failovers, bus messages by type and direction, bus link errors, redirects by
 * kind, and per-slot load ({@code rookery_cluster_slot_*}, tagged with the slot).
 *
 * <p>A scrape never touches the cluster: it reads the last {@link ClusterMetricsSnapshot}, and when
 * that is older than {@link #MAX_AGE_MILLIS} asks the command thread for a new one without waiting
 * (so a scrape shows figures at most one scrape interval old). A per-slot series appears when its
 * figure is first non-zero, and cpu/network/memory only with {@code cluster-slot-stats-enabled yes}:
 * a node with keys in every slot still adds 16384 series per figure, which is why they are opt-in.
 */
@Component
class ClusterMetrics implements MeterBinder {
    static final long MAX_AGE_MILLIS = 1000;

    private final RookeryNode node;
    private volatile ClusterMetricsSnapshot latest;
    private volatile long takenAt;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private MeterRegistry registry;
    /** The per-slot figures of the last snapshot, by figure then slot; NaN where the slot has none now. */
    private final double[][] slotFigures = new double[SlotFigure.values().length][16384];
    /** Which per-slot gauges exist: a slot's series appears the first time its figure is non-zero. */
    private final boolean[][] slotGauges = new boolean[SlotFigure.values().length][16384];

    /** The per-slot series: name, unit, description, and how to read the figure from a slot's load. */
    private enum SlotFigure {
        KEYS("rookery.cluster.slot.keys", null, "Keys in the slot", SlotLoad::keys),
        CPU("rookery.cluster.slot.cpu", "microseconds", "Time spent on the slot's commands since it came here or CONFIG RESETSTAT",
                SlotLoad::cpuMicros),
        NETWORK_IN("rookery.cluster.slot.network.in", "bytes", "Request bytes of the slot's commands", SlotLoad::networkBytesIn),
        NETWORK_OUT("rookery.cluster.slot.network.out", "bytes", "Reply bytes of the slot's commands", SlotLoad::networkBytesOut),
        MEMORY("rookery.cluster.slot.memory", "bytes", "Estimated memory of the slot's keys (the sum of their MEMORY USAGE)",
                SlotLoad::memoryBytes);

        final String meter;
        final String unit;
        final String description;
        final ToLongFunction<SlotLoad> read;

        SlotFigure(String meter, String unit, String description, ToLongFunction<SlotLoad> read) {
            this.meter = meter;
            this.unit = unit;
            this.description = description;
            this.read = read;
        }
    }

    ClusterMetrics(RookeryNode node) {
        this.node = node;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Cluster cluster = node.parts().cluster();
        if (cluster == null) {
            return;
        }
        latest = ClusterMetricsSnapshot.empty(); // the first reading asks the command thread for the real one
        gauge(registry, "rookery.cluster.state", "1 when cluster_state is ok, 0 when fail", s -> s.ok() ? 1 : 0);
        gauge(registry, "rookery.cluster.known.nodes", "Nodes this node knows, itself included", s -> s.knownNodes());
        gauge(registry, "rookery.cluster.size", "Primaries serving at least one slot", s -> s.size());
        Gauge.builder("rookery.cluster.slots", this, m -> m.snapshot().slotsAssigned()).tag("state", "assigned")
                .description("Slots by the health of their owner, as CLUSTER INFO counts them").register(registry);
        Gauge.builder("rookery.cluster.slots", this, m -> m.snapshot().slotsOk()).tag("state", "ok").register(registry);
        Gauge.builder("rookery.cluster.slots", this, m -> m.snapshot().slotsPfail()).tag("state", "pfail").register(registry);
        Gauge.builder("rookery.cluster.slots", this, m -> m.snapshot().slotsFail()).tag("state", "fail").register(registry);
        gauge(registry, "rookery.cluster.current.epoch", "cluster_current_epoch", s -> s.currentEpoch());
        gauge(registry, "rookery.cluster.my.epoch", "cluster_my_epoch", s -> s.myEpoch());
        counter(registry, "rookery.cluster.failovers", "Failovers in which this node replaced its primary", Tags.empty(),
                ClusterMetricsSnapshot::failovers);
        counter(registry, "rookery.cluster.bus.link.errors", "Bus connections that failed or closed on an error",
                Tags.empty(), ClusterMetricsSnapshot::linkErrors);
        for (BusMessageType t : BusMessageType.values()) {
            String type = ClusterStats.wireName(t);
            counter(registry, "rookery.cluster.bus.messages", "Cluster bus messages by type and direction",
                    Tags.of("type", type, "direction", "sent"), s -> s.sent(t));
            counter(registry, "rookery.cluster.bus.messages", "Cluster bus messages by type and direction",
                    Tags.of("type", type, "direction", "received"), s -> s.received(t));
        }
        for (Redirect r : Redirect.values()) {
            counter(registry, "rookery.cluster.redirects", "Redirect errors replied to clients, by kind",
                    Tags.of("kind", r.name()), s -> s.redirects(r));
        }
        for (double[] figures : slotFigures) {
            java.util.Arrays.fill(figures, Double.NaN);
        }
        this.registry = registry;
    }

    /** The last snapshot; starts taking a new one, without waiting for it, when it is getting old. */
    private ClusterMetricsSnapshot snapshot() {
        if (System.currentTimeMillis() - takenAt > MAX_AGE_MILLIS && refreshing.compareAndSet(false, true)) {
            Cluster cluster = node.parts().cluster();
            node.call(() -> ClusterMetricsSnapshot.take(cluster, node.parts().keyspace().db(0)))
                    .whenCompleteAsync((s, failure) -> {
                        if (s != null) { // the slot series first, then the counters that read s
                            publishSlots(s);
                            latest = s;
                            takenAt = System.currentTimeMillis();
                        }
                        refreshing.set(false);
                    }, ForkJoinPool.commonPool());
        }
        return latest;
    }

    /**
     * Keeps the per-slot figures of a new snapshot and adds a gauge for each slot figure seen non-zero
     * for the first time. Series are never removed: a slot whose figure went back to zero, or that left,
     * reads NaN (Prometheus drops NaN samples from most queries). Off the command thread.
     */
    private synchronized void publishSlots(ClusterMetricsSnapshot s) {
        double[][] next = new double[slotFigures.length][16384];
        for (double[] figures : next) {
            java.util.Arrays.fill(figures, Double.NaN);
        }
        for (SlotLoad load : s.slots()) {
            for (SlotFigure f : SlotFigure.values()) {
                long v = f.read.applyAsLong(load);
                if (v != 0) {
                    next[f.ordinal()][load.slot()] = v;
                }
            }
        }
        // every new series is added before any figure changes; a scrape that runs while they are
        // added may still miss some of them, which then show from the next scrape on
        for (SlotFigure f : SlotFigure.values()) {
            for (int slot = 0; slot < 16384; slot++) {
                if (!Double.isNaN(next[f.ordinal()][slot]) && !slotGauges[f.ordinal()][slot]) {
                    slotGauges[f.ordinal()][slot] = true;
                    int at = slot;
                    Gauge.builder(f.meter, this, m -> m.slotFigures[f.ordinal()][at]).baseUnit(f.unit)
                            .description(f.description).tag("slot", Integer.toString(slot)).register(registry);
                }
            }
        }
        for (SlotFigure f : SlotFigure.values()) {
            System.arraycopy(next[f.ordinal()], 0, slotFigures[f.ordinal()], 0, 16384);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ClusterMetricsSnapshot> f) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.snapshot())).description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, Tags tags,
            ToLongFunction<ClusterMetricsSnapshot> f) {
        FunctionCounter.builder(name, this, m -> f.applyAsLong(m.snapshot())).description(description).tags(tags)
                .register(registry);
    }

}
