package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.ConfigFile;
import io.rookery.node.config.NodeConfig;
import io.rookery.web.EngineLifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds the node's plain {@link NodeConfig} from the properties, starts the node with the application
 * and stops it with the application. A SHUTDOWN command ends the whole process.
 *
 * <p>Started from {@code main}, the node is built by {@link #fromSettings} and started before the
 * application context ({@link io.rookery.web.ServiceLauncher}), so RESP answers while the HTTP side
 * comes up; a context built without the launcher (a {@code @SpringBootTest}) builds it as a bean
 * ({@link NodeConfiguration}).
 */
class NodeLifecycle extends EngineLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final RookeryNode node;

    NodeLifecycle(NodeProperties properties) throws ConfigException {
        this.node = new RookeryNode(buildConfig(properties));
        node.onShutdown(this::exitProcess);
    }

    /** The node of the {@code rookery.node.*} settings, before there is a context to bind them. */
    static NodeLifecycle fromSettings(Binder settings) throws ConfigException {
        return new NodeLifecycle(settings.bind("rookery.node", NodeProperties.class)
                .orElseGet(() -> new NodeProperties(null, null, null, null, null, null)));
    }

    static NodeConfig buildConfig(NodeProperties p) throws ConfigException {
        NodeConfig config = new NodeConfig();
        if (p.configFile() != null && !p.configFile().isBlank()) {
            ConfigFile.load(config, Path.of(p.configFile()));
        }
        if (p.port() != null) {
            config.load("port", p.port().toString());
        }
        if (p.bind() != null) {
            config.load("bind", p.bind());
        }
        if (p.requirepass() != null) {
            config.load("requirepass", p.requirepass());
        }
        if (p.protectedMode() != null) {
            config.load("protected-mode", p.protectedMode() ? "yes" : "no");
        }
        if (p.directives() != null) {
            for (Map.Entry<String, String> d : p.directives().entrySet()) {
                try {
                    config.load(d.getKey(), d.getValue());
                } catch (ConfigException e) {
                    throw new ConfigException("rookery.node.directives." + d.getKey() + ": " + e.getMessage());
                }
            }
        }
        return config;
    }

    RookeryNode node() {
        return node;
    }

    @Override
    public List<String> bind() {
        return node.config().bind;
    }

    @Override
    protected void startEngine() throws InterruptedException {
        node.start();
    }

    @Override
    protected void stopEngine() {
        node.stop();
        LOG.info("Rookery node stopped");
    }
}
