package io.rookery.web;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a service from its {@code main}: Redis-style arguments translated ({@link StartupArguments}),
 * and a failed start ends the process with status 1.
 *
 * <p>The exit is the point: when a start fails (a RESP port in use, a bad config file, an HTTP port
 * taken), Spring reports it and closes the context, but threads the engine started before the failure
 * can keep the JVM alive, listening on nothing, so a supervisor never learns it should restart or
 * alert. Redis exits at once; so do we.
 *
 * <p>A service that gives an {@link EngineFactory} gets its engine started before the application
 * context is built ({@link EngineBeforeContext}): the RESP side answers while the HTTP side is still
 * coming up.
 */
public final class ServiceLauncher {
    /** Redis's exit status for a server that could not start. */
    public static final int FAILED_START = 1;

    private final Class<?> application;
    private final StartupArguments arguments;
    private final EngineFactory engineFirst;

    /** A launcher that leaves the engine (if any) to the application context. */
    public ServiceLauncher(Class<?> application, StartupArguments arguments) {
        this(application, arguments, null);
    }

    /** A launcher that builds and starts the engine with {@code engineFirst} before the context. */
    public ServiceLauncher(Class<?> application, StartupArguments arguments, EngineFactory engineFirst) {
        this.application = application;
        this.arguments = arguments;
        this.engineFirst = engineFirst;
    }

    public StartupArguments arguments() {
        return arguments;
    }

    /** Starts the service in this JVM and returns its context; throws when the start fails. */
    public ConfigurableApplicationContext start(String... args) {
        SpringApplication spring = new SpringApplication(application);
        if (engineFirst != null) {
            spring.addListeners(new EngineBeforeContext(engineFirst));
        }
        return spring.run(arguments.translate(args));
    }

    /** {@link #start}, or, when the start fails (already reported by Spring), exit with status 1. */
    public void launch(String... args) {
        try {
            start(args);
        } catch (Throwable e) {
            System.err.println(application.getSimpleName() + " failed to start; exiting with status " + FAILED_START);
            System.exit(FAILED_START);
        }
    }
}
