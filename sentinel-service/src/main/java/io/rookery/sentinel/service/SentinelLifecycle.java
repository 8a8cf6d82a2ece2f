package io.rookery.sentinel.service;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.sentinel.Sentinel;
import io.rookery.web.EngineLifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds the sentinel from its config file and the properties, starts it with the application and
 * stops it with the application. A SHUTDOWN command ends the whole process.
 *
 * <p>Started from {@code main}, the sentinel is built by {@link #fromSettings} and started before the
 * application context ({@link io.rookery.web.ServiceLauncher}), so RESP answers while the HTTP side
 * comes up; a context built without the launcher (a {@code @SpringBootTest}) builds it as a bean
 * ({@link SentinelConfiguration}).
 */
class SentinelLifecycle extends EngineLifecycle {
    private final Sentinel sentinel;

    SentinelLifecycle(SentinelProperties properties) throws ConfigException {
        this.sentinel = build(properties);
        sentinel.node().onShutdown(this::exitProcess);
    }

    /** The sentinel of the {@code rookery.sentinel.*} settings, before there is a context to bind them. */
    static SentinelLifecycle fromSettings(Binder settings) throws ConfigException {
        return new SentinelLifecycle(settings.bind("rookery.sentinel", SentinelProperties.class)
                .orElseGet(() -> new SentinelProperties(null, null, null, null, null, null, null, null, null, null)));
    }

    static Sentinel build(SentinelProperties p) throws ConfigException {
        boolean explicit = p.configFile() != null && !p.configFile().isBlank();
        Path file = Path.of(explicit ? p.configFile() : "sentinel.conf");
        Sentinel s = Sentinel.open(file, !explicit, config -> applyServerSettings(p, config));
        if (p.announceIp() != null) {
            s.configure("announce-ip", p.announceIp());
        }
        if (p.announcePort() != null) {
            s.configure("announce-port", p.announcePort().toString());
        }
        if (p.resolveHostnames() != null) {
            s.configure("resolve-hostnames", p.resolveHostnames() ? "yes" : "no");
        }
        if (p.announceHostnames() != null) {
            s.configure("announce-hostnames", p.announceHostnames() ? "yes" : "no");
        }
        if (p.masters() != null) {
            for (SentinelProperties.MonitoredMaster m : p.masters()) {
                if (m.name() == null || m.host() == null || m.port() == null) {
                    throw new ConfigException("rookery.sentinel.masters: every primary needs a name, host and port");
                }
                if (s.monitors(m.name())) {
                    continue; // the file's state (perhaps after a failover) wins
                }
                s.configure("monitor", m.name(), m.host(), m.port().toString(),
                        Integer.toString(m.quorum() == null ? 2 : m.quorum()));
                if (m.downAfterMilliseconds() != null) {
                    s.configure("down-after-milliseconds", m.name(), m.downAfterMilliseconds().toString());
                }
                if (m.failoverTimeout() != null) {
                    s.configure("failover-timeout", m.name(), m.failoverTimeout().toString());
                }
                if (m.parallelSyncs() != null) {
                    s.configure("parallel-syncs", m.name(), m.parallelSyncs().toString());
                }
                if (m.authPass() != null) {
                    s.configure("auth-pass", m.name(), m.authPass());
                }
                if (m.authUser() != null) {
                    s.configure("auth-user", m.name(), m.authUser());
                }
            }
        }
        return s;
    }

    private static void applyServerSettings(SentinelProperties p, NodeConfig config) {
        try {
            if (p.port() != null) {
                config.load("port", p.port().toString());
            }
            if (p.bind() != null) {
                config.load("bind", p.bind());
            }
            if (p.requirepass() != null) {
                config.load("requirepass", p.requirepass());
            }
            if (p.directives() != null) {
                for (Map.Entry<String, String> d : p.directives().entrySet()) {
                    config.load(d.getKey(), d.getValue());
                }
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException("rookery.sentinel: " + e.getMessage(), e);
        }
    }

    Sentinel sentinel() {
        return sentinel;
    }

    @Override
    public List<String> bind() {
        return sentinel.node().config().bind;
    }

    @Override
    protected void startEngine() throws InterruptedException {
        sentinel.start();
    }

    @Override
    protected void stopEngine() {
        sentinel.stop();
    }
}
