package io.rookery.gateway.service;

import io.netty.util.ResourceLeakDetector;
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

    /** The system property that names Netty's leak detection level; unset, the service runs without it. */
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        if (System.getProperty(LEAK_DETECTION) == null) {
            // Netty's default samples one buffer in 128 with a stack trace: a cost on every request path
            // of a proxy. The tests keep it; -Dio.netty.leakDetection.level=simple turns it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        LAUNCHER.launch(args);
    }
}
