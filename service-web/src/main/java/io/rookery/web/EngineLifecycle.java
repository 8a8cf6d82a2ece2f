package io.rookery.web;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a service's engine (a node, a sentinel) with the application context and stops it with the
 * context, before the web server goes down. Subclasses say how to start and stop theirs.
 */
public abstract class EngineLifecycle implements SmartLifecycle {
    private volatile boolean running;

    /** Binds the engine's ports and starts its threads. */
    protected abstract void startEngine() throws InterruptedException;

    protected abstract void stopEngine();

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
