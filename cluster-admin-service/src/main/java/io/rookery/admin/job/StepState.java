package io.rookery.admin.job;

/**
 * Where a step stands. A slot move passes IMPORTING → MIGRATING → MOVING_KEYS → ASSIGNING → DONE;
 * IMPORTING is stored before the first command is sent, so a restarted service knows which slot was in
 * flight (the states in between are shown live, not stored: a restart re-drives an in-flight move the
 * same way from each), and DONE once the slot is assigned; other steps pass RUNNING → DONE.
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
