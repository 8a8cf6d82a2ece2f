package io.rookery.admin.service;

import io.rookery.web.ServiceLauncher;
import io.rookery.web.StartupArguments;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The cluster admin service: the REST control plane (HTTP 8080) that registers Rookery and Redis 7.0
 * clusters, shows their topology and health, and changes them only through persisted, resumable jobs
 * driven with the standard cluster commands. A failed start exits with status 1.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RookeryAdminApplication {
    static final ServiceLauncher LAUNCHER = new ServiceLauncher(RookeryAdminApplication.class,
            new StartupArguments("rookery.admin.config-file", Set.of()));

    public static void main(String[] args) {
        LAUNCHER.launch(args);
    }
}
