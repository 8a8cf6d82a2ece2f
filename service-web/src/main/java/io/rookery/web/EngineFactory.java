package io.rookery.web;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * Builds a service's engine from its settings alone, before the application context exists, so that
 * {@link ServiceLauncher} can start the RESP side first and let the HTTP side follow. The
 * {@link Binder} reads the environment Spring prepared for the application (command line, config
 * files, environment variables, with the precedence Spring gives them), so the engine sees the same
 * values its {@code @ConfigurationProperties} bean gets later.
 */
@FunctionalInterface
public interface EngineFactory {

    /** The engine, built but not started; throws what its configuration checks throw. */
    EngineLifecycle create(Binder settings) throws Exception;
}
