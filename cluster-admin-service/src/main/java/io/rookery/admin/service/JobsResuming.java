package io.rookery.admin.service;

import io.rookery.admin.job.JobExecutor;
import org.springframework.context.SmartLifecycle;

/**
 * Once the application is up, picks up the jobs a previous process left running (they resume from
 * their stored step states); at shutdown, stops the executor after the slots in flight.
 */
class JobsResuming implements SmartLifecycle {
    private final JobExecutor executor;
    private volatile boolean running;

    JobsResuming(JobExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void start() {
        executor.resumeInterrupted();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        executor.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
