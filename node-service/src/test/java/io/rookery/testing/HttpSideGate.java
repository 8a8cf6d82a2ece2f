package io.rookery.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.env.Environment;

/**
 * Holds a service's application context back until a file exists, so a process-level test can watch
 * what the service does while its HTTP side is still starting. Added to a service's context with
 * {@code --spring.main.sources=io.rookery.testing.HttpSideGate --rookery.test.http-gate=FILE}: a plain
 * class outside the services' packages, so no component scan picks it up. Gives up (and lets the
 * start go on) after two minutes, so a test that never opens the gate cannot leave a process hanging.
 */
public final class HttpSideGate {

    public HttpSideGate(Environment environment) throws InterruptedException {
        Path gate = Path.of(environment.getRequiredProperty("rookery.test.http-gate"));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(gate) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
