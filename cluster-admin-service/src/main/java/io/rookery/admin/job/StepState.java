package io.rookery.admin.job;

/**
 * Where a step stands. A slot move passes IMPORTING → MIGRATING → MOVING_KEYS → ASSIGNING → DONE, each
 * state stored before the commands it names are sent, so a restarted service knows which slot was in
 * flight; other steps pass RUNNING → DONE.
 */
public enum StepState {
    PENDING, RUNNING, IMPORTING, MIGRATING, MOVING_KEYS, ASSIGNING, DONE, FAILED, SKIPPED;

    public boolean inFlight() {
        return this == RUNNING || this == IMPORTING || this == MIGRATING || this == MOVING_KEYS || this == ASSIGNING;
    }

    public boolean finished() {
        return this == DONE || this == SKIPPED;
    }
}
