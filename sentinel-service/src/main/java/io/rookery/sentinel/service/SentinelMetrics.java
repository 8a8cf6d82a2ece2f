package io.rookery.sentinel.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rookery.sentinel.Sentinel;
import io.rookery.sentinel.SentinelStats;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Sentinel metrics for Prometheus: per primary its state (0 ok, 1 sdown, 2 odown), replicas (and how
 * many are down), sentinels, whether a failover runs and its configuration epoch; failovers started,
 * led to the end and aborted; TILT; and the time from a primary's SDOWN to its +switch-master.
 * Per-primary gauges appear for primaries added at run time too.
 */
@Component
class SentinelMetrics implements MeterBinder {
    private final Sentinel sentinel;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    SentinelMetrics(Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        SentinelStats stats = sentinel.stats();
        FunctionCounter.builder("rookery.sentinel.failovers.started", stats, SentinelStats::failoversStarted)
                .description("Failover attempts (+try-failover)").register(registry);
        FunctionCounter.builder("rookery.sentinel.failovers.succeeded", stats, SentinelStats::failoversSucceeded)
                .description("Failovers this sentinel led to the end (+failover-end)").register(registry);
        FunctionCounter.builder("rookery.sentinel.failovers.aborted", stats, SentinelStats::failoversAborted)
                .description("Failover attempts given up (-failover-abort-*)").register(registry);
        FunctionCounter.builder("rookery.sentinel.switches", stats, SentinelStats::switches)
                .description("Primary address switches (+switch-master)").register(registry);
        Gauge.builder("rookery.sentinel.tilt", sentinel, s -> s.inTilt() ? 1 : 0)
                .description("1 while in TILT mode").register(registry);
        Gauge.builder("rookery.sentinel.masters", sentinel, s -> s.health().size())
                .description("Monitored primaries").register(registry);
        Timer switchTime = Timer.builder("rookery.sentinel.failover.switch.time")
                .description("From the primary's SDOWN here to +switch-master").register(registry);
        stats.onSwitchLatency(ms -> switchTime.record(Duration.ofMillis(ms)));
        sentinel.health().keySet().forEach(this::registerMaster);
        sentinel.addListener(e -> {
            if (e.master() != null && !registered.contains(e.master())) {
                registerMaster(e.master());
            }
        });
    }

    private void registerMaster(String name) {
        if (!registered.add(name)) {
            return;
        }
        gauge("rookery.sentinel.master.status", name, "0 ok, 1 subjectively down, 2 objectively down",
                h -> h.status().equals("ok") ? 0 : h.status().equals("sdown") ? 1 : 2);
        gauge("rookery.sentinel.master.replicas", name, "Known replicas", h -> h.replicas());
        gauge("rookery.sentinel.master.replicas.down", name, "Replicas seen down", h -> h.replicasDown());
        gauge("rookery.sentinel.master.sentinels", name, "Sentinels watching it, this one included", h -> h.sentinels());
        gauge("rookery.sentinel.master.failover.in.progress", name, "1 while a failover of it runs",
                h -> h.failingOver() ? 1 : 0);
        gauge("rookery.sentinel.master.config.epoch", name, "Epoch of its current configuration", h -> h.configEpoch());
    }

    private void gauge(String metric, String master, String description, ToDoubleFunction<Sentinel.MasterHealth> read) {
        Gauge.builder(metric, sentinel, s -> {
            Sentinel.MasterHealth h = s.health().get(master);
            return h == null ? Double.NaN : read.applyAsDouble(h);
        }).description(description).tag("master", master).register(registry);
    }
}
