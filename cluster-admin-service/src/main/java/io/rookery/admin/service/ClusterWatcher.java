package io.rookery.admin.service;

import io.rookery.admin.cluster.ClusterSnapshot;
import io.rookery.admin.cluster.HealthCheck;
import io.rookery.admin.cluster.HealthVerdict;
import io.rookery.admin.cluster.NodeState;
import io.rookery.admin.store.JdbcClusterRegistry;
import io.rookery.admin.store.ManagedCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Reads every managed cluster every {@code rookery.admin.refresh-interval} for the metrics (nodes by
 * role and state, slots by state, slot imbalance as max/mean over primaries owning slots) and the
 * actuator health: DOWN when a managed cluster's verdict is ERROR or it can't be read, with each
 * cluster's status and reasons as details.
 */
class ClusterWatcher implements SmartLifecycle, HealthIndicator {
    private final JdbcClusterRegistry registry;
    private final ClusterHandles handles;
    private final Duration interval;
    private final Map<String, HealthVerdict> verdicts = new ConcurrentHashMap<>();
    private final MultiGauge nodes;
    private final MultiGauge slots;
    private final MultiGauge imbalance;
    private final MultiGauge health;
    private ScheduledExecutorService timer;

    ClusterWatcher(JdbcClusterRegistry registry, ClusterHandles handles, Duration interval, MeterRegistry meters) {
        this.registry = registry;
        this.handles = handles;
        this.interval = interval;
        this.nodes = MultiGauge.builder("rookery.admin.cluster.nodes").description("Nodes of a managed cluster by role and state")
                .register(meters);
        this.slots = MultiGauge.builder("rookery.admin.cluster.slots")
                .description("Slots of a managed cluster by state (assigned, open, uncovered)").register(meters);
        this.imbalance = MultiGauge.builder("rookery.admin.cluster.imbalance")
                .description("Max over mean of slots per primary owning slots (1 = balanced)").register(meters);
        this.health = MultiGauge.builder("rookery.admin.cluster.health")
                .description("Health of a managed cluster: 0 ok, 1 warning, 2 error or unreadable").register(meters);
    }

    /** Reads every managed cluster now and updates the figures. */
    void refresh() {
        List<MultiGauge.Row<?>> nodeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> slotRows = new ArrayList<>();
        List<MultiGauge.Row<?>> imbalanceRows = new ArrayList<>();
        List<MultiGauge.Row<?>> healthRows = new ArrayList<>();
        for (ManagedCluster c : registry.all()) {
            HealthVerdict verdict;
            try {
                ClusterSnapshot s = handles.get(c.name()).refresh();
                verdict = HealthCheck.judge(s);
                Map<String, Integer> counts = new java.util.TreeMap<>();
                for (NodeState n : s.nodes()) {
                    String role = n.self().primary() ? "primary" : "replica";
                    String state = !n.reached() ? "unreachable" : n.self().failing() ? "failing" : "ok";
                    counts.merge(role + "/" + state, 1, Integer::sum);
                }
                counts.forEach((k, v) -> nodeRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name(), "role",
                        k.substring(0, k.indexOf('/')), "state", k.substring(k.indexOf('/') + 1)), v)));
                int covered = s.covered().cardinality();
                slotRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name(), "state", "assigned"), covered));
                slotRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name(), "state", "open"), s.openSlots().size()));
                slotRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name(), "state", "uncovered"), 16384 - covered));
                List<Integer> owned = s.primaries().stream().map(p -> p.self().slotCount()).filter(n -> n > 0).toList();
                double mean = owned.stream().mapToInt(Integer::intValue).average().orElse(0);
                double max = owned.stream().mapToInt(Integer::intValue).max().orElse(0);
                imbalanceRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name(), "figure", "slots"), mean == 0 ? 0 : max / mean));
            } catch (RuntimeException e) {
                verdict = new HealthVerdict(HealthVerdict.Status.ERROR, List.of(new HealthVerdict.Finding(
                        HealthVerdict.Status.ERROR, "cluster can't be read: " + e.getMessage())));
            }
            verdicts.put(c.name(), verdict);
            healthRows.add(MultiGauge.Row.of(Tags.of("cluster", c.name()), verdict.status().ordinal()));
        }
        verdicts.keySet().retainAll(registry.all().stream().map(ManagedCluster::name).toList());
        nodes.register(nodeRows, true);
        slots.register(slotRows, true);
        imbalance.register(imbalanceRows, true);
        health.register(healthRows, true);
    }

    @Override
    public Health health() {
        boolean down = verdicts.values().stream().anyMatch(v -> v.status() == HealthVerdict.Status.ERROR);
        Health.Builder b = down ? Health.down() : Health.up();
        verdicts.forEach((name, v) -> b.withDetail(name, Map.of("status", v.status(), "findings",
                v.findings().stream().map(HealthVerdict.Finding::text).toList())));
        return b.build();
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                // the next round tries again; a database or cluster hiccup must not stop the watcher
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null && !timer.isShutdown();
    }
}
