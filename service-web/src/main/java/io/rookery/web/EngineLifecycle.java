package io.rookery.web;

import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;

/**
 * Starts a service's engine (a node, a sentinel) with the application context and stops it with the
 * context, before the web server goes down. Subclasses say how to start and stop theirs and where its
 * RESP side binds ({@link HttpBinding} puts the HTTP side there too). An engine that is asked to shut
 * down (SHUTDOWN) calls {@link #exitProcess}. The engine is either a bean the context builds and starts,
 * or built and started before the context by {@link ServiceLauncher} and handed to it running.
 */
public abstract class EngineLifecycle implements SmartLifecycle, ApplicationContextAware {
    private volatile boolean running;
    private volatile ApplicationContext context;

    /** Binds the engine's ports and starts its threads. */
    protected abstract void startEngine() throws InterruptedException;

    protected abstract void stopEngine();

    /** The engine's RESP listen addresses in Redis's {@code bind} syntax ({@code -} marks an optional one). */
    public abstract List<String> bind();

    @Override
    public final void setApplicationContext(ApplicationContext context) throws BeansException {
        this.context = context;
    }

    /**
     * Closes the application and ends the process with status 0, on a thread of its own (the caller
     * may be one the close waits for). An engine started before the context (see {@link ServiceLauncher})
     * may be asked before there is a context to close: then the process just exits.
     */
    protected final void exitProcess() {
        new Thread(() -> {
            ApplicationContext c = context;
            System.exit(c == null ? 0 : SpringApplication.exit(c, () -> 0));
        }, "rookery-exit").start();
    }

    @Override
    public final void start() {
        try {
            startEngine();
            running = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + getClass().getSimpleName(), e);
        }
    }

    @Override
    public final void stop() {
        running = false;
        stopEngine();
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
