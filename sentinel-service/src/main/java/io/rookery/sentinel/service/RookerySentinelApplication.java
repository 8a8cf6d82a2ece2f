package io.rookery.sentinel.service;

import io.rookery.web.ServiceLauncher;
import io.rookery.web.StartupArguments;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The sentinel service: a Redis-Sentinel-compatible monitor (RESP on 26379) plus its HTTP side
 * (actuator, REST, event stream, OpenAPI on 8080). Accepts redis-sentinel's start-up arguments too:
 * {@code --config FILE} or a leading {@code sentinel.conf} path; {@code --sentinel} is accepted and
 * ignored. A failed start exits with status 1. The sentinel starts before the HTTP side: RESP answers
 * while the application context is still being built.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookerySentinelApplication {
    static final ServiceLauncher LAUNCHER = new ServiceLauncher(RookerySentinelApplication.class,
            new StartupArguments("rookery.sentinel.config-file", Set.of("--sentinel")), SentinelLifecycle::fromSettings);

    public static void main(String[] args) {
        LAUNCHER.launch(args);
    }
}
