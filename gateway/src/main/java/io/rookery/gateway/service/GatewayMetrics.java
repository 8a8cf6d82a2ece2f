package io.rookery.gateway.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rookery.gateway.Gateway;
import io.rookery.gateway.GatewayStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Gateway metrics for Prometheus: commands by name (count and time), connected clients and dedicated
 * backend connections, per backend its requests (count and time), errors and lost connections,
 * redirections absorbed by kind, slot map refreshes and version, slots served, split multi-key
 * commands. Commands and backends seen for the first time get their meters within a second.
 */
@Component
class GatewayMetrics implements MeterBinder, DisposableBean {
    private final Gateway gateway;
    private final Set<String> commands = ConcurrentHashMap.newKeySet();
    private final Set<String> backends = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService discovery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-metrics");
        t.setDaemon(true);
        return t;
    });

    GatewayMetrics(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        GatewayStats s = gateway.stats();
        Gauge.builder("rookery.gateway.clients", gateway, g -> g.clients().size())
                .description("Connected clients").register(registry);
        Gauge.builder("rookery.gateway.pinned.connections", gateway, Gateway::pinnedConnections)
                .description("Dedicated backend connections (blocking commands, WATCH, pub/sub)").register(registry);
        for (GatewayStats.Redirection r : GatewayStats.Redirection.values()) {
            FunctionCounter.builder("rookery.gateway.redirections", s, st -> st.redirections(r))
                    .description("Redirections absorbed by the gateway").tag("kind", r.name()).register(registry);
        }
        FunctionCounter.builder("rookery.gateway.slotmap.refreshes", gateway, g -> g.topology().refreshes())
                .description("Slot map refreshes").register(registry);
        Gauge.builder("rookery.gateway.slotmap.version", gateway, g -> g.topology().current().version())
                .description("Slot map version").register(registry);
        Gauge.builder("rookery.gateway.slots.served", gateway, g -> g.topology().current().servedSlots())
                .description("Slots with a primary").register(registry);
        FunctionCounter.builder("rookery.gateway.split.commands", s, GatewayStats::splits)
                .description("Multi-key commands split across slots").register(registry);
        FunctionCounter.builder("rookery.gateway.connections.received", s, GatewayStats::connectionsReceived)
                .description("Client connections accepted").register(registry);
        discovery.scheduleWithFixedDelay(() -> discover(registry), 0, 1, TimeUnit.SECONDS);
    }

    private void discover(MeterRegistry registry) {
        GatewayStats s = gateway.stats();
        s.commands().forEach((name, t) -> {
            if (commands.add(name)) {
                FunctionTimer.builder("rookery.gateway.commands", t, GatewayStats.Timing::count,
                                GatewayStats.Timing::totalSeconds, TimeUnit.SECONDS)
                        .description("Commands by name, with their time from request to reply").tag("command", name)
                        .register(registry);
                FunctionCounter.builder("rookery.gateway.commands.failed", t, GatewayStats.Timing::errors)
                        .description("Commands answered with an error").tag("command", name).register(registry);
            }
        });
        s.backends().forEach((address, t) -> {
            if (backends.add(address)) {
                FunctionTimer.builder("rookery.gateway.backend.requests", t, GatewayStats.Timing::count,
                                GatewayStats.Timing::totalSeconds, TimeUnit.SECONDS)
                        .description("Requests sent to a backend, with their time").tag("backend", address)
                        .register(registry);
                FunctionCounter.builder("rookery.gateway.backend.errors", t, GatewayStats.Timing::errors)
                        .description("Backend requests answered with an error").tag("backend", address).register(registry);
                FunctionCounter.builder("rookery.gateway.backend.disconnects", t, GatewayStats.Timing::disconnects)
                        .description("Backend connections lost").tag("backend", address).register(registry);
            }
        });
    }

    @Override
    public void destroy() {
        discovery.shutdownNow();
    }
}
