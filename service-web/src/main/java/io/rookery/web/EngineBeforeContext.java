package io.rookery.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the engine as soon as the environment is prepared, before the application context is built,
 * and hands the running engine to the context as its {@link EngineLifecycle} bean.
 *
 * <p>Why: building the context (web server, actuator, metrics, OpenAPI) takes seconds, and the RESP
 * side needs none of it; Redis answers PING within milliseconds of its launch, and supervisors, test
 * harnesses and failover drills expect that. So RESP serves as soon as the dataset is loaded while
 * the HTTP side comes up after it. Everything else stays as it was: the engine is built from the same
 * environment, a configuration error or a taken port fails the run (Spring reports it and
 * {@link ServiceLauncher} exits non-zero), the bean is the context's lifecycle bean, so closing the
 * context (SIGTERM, SHUTDOWN) stops the engine as before, and when the context fails to come up the
 * engine is stopped too.
 */
final class EngineBeforeContext implements ApplicationListener<SpringApplicationEvent> {
    /** The name of the engine's bean in the context. */
    static final String BEAN_NAME = "engineLifecycle";
    private static final Logger LOG = LoggerFactory.getLogger(EngineBeforeContext.class);

    private final EngineFactory factory;
    private EngineLifecycle engine;

    EngineBeforeContext(EngineFactory factory) {
        this.factory = factory;
    }

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared && engine == null) {
            engine = create(Binder.get(prepared.getEnvironment()));
            engine.start();
            LOG.debug("engine started before the application context");
        } else if (event instanceof ApplicationContextInitializedEvent initialized && engine != null) {
            ConfigurableApplicationContext context = initialized.getApplicationContext();
            engine.setApplicationContext(context);
            context.getBeanFactory().registerSingleton(BEAN_NAME, engine);
        } else if (event instanceof ApplicationFailedEvent && engine != null && engine.isRunning()) {
            engine.stop(); // the HTTP side could not start: leave no engine running without it
        }
    }

    private EngineLifecycle create(Binder settings) {
        try {
            return factory.create(settings);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
