package io.rookery.service;

import io.rookery.web.ServiceLauncher;
import io.rookery.web.StartupArguments;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The data node service: a Rookery node (RESP on 6379) plus its HTTP side (actuator, REST, OpenAPI on
 * 8080). Accepts Redis-style start-up arguments too: {@code --config FILE} or a leading
 * {@code redis.conf} path name the redis.conf-style file. A failed start exits with status 1. The
 * node starts before the HTTP side: RESP answers while the application context is still being built.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookeryNodeApplication {
    static final ServiceLauncher LAUNCHER = new ServiceLauncher(RookeryNodeApplication.class,
            new StartupArguments("rookery.node.config-file", Set.of()), NodeLifecycle::fromSettings);

    public static void main(String[] args) {
        LAUNCHER.launch(args);
    }
}
