package io.rookery.admin.job;

/**
 * A job's life: created {@code PENDING}, {@code RUNNING} while steps execute, {@code PAUSED} on request
 * (between slots, never with a slot left open), and one of the final states.
 */
public enum JobState {
    PENDING, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
