package io.rookery.gateway.service;

import io.rookery.web.ServiceLauncher;
import io.rookery.web.StartupArguments;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The gateway service: one Redis endpoint (RESP on 6379) in front of a cluster or a sentinel-managed
 * primary, plus its HTTP side (REST view and refresh, actuator, Prometheus, OpenAPI on 8080). A failed
 * start exits with status 1.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookeryGatewayApplication {
    static final ServiceLauncher LAUNCHER = new ServiceLauncher(RookeryGatewayApplication.class,
            new StartupArguments("rookery.gateway.config-file", Set.of()));

    public static void main(String[] args) {
        LAUNCHER.launch(args);
    }
}
