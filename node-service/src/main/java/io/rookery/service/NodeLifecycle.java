package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import io.rookery.node.config.ConfigFile;
import io.rookery.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Builds the node's plain {@link NodeConfig} from the properties, starts the node with the application
 * and stops it with the application. A SHUTDOWN command ends the whole process.
 */
@Component
class NodeLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final RookeryNode node;
    private final ApplicationContext context;
    private volatile boolean running;

    NodeLifecycle(NodeProperties properties, ApplicationContext context) throws ConfigException {
        this.context = context;
        this.node = new RookeryNode(buildConfig(properties));
        node.onShutdown(() -> new Thread(() -> System.exit(SpringApplication.exit(context, () -> 0)), "rookery-exit").start());
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
    public void start() {
        try {
            node.start();
            running = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the node", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        node.stop();
        LOG.info("Rookery node stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
