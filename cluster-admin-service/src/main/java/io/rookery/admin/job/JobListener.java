package io.rookery.admin.job;

/** Receives job events; called on the executor's threads, so it must not block. */
@FunctionalInterface
public interface JobListener {
    void on(JobEvent event);
}
