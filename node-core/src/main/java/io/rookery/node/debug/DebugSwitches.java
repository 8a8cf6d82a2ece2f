package io.rookery.node.debug;

/**
 * The run-time switches DEBUG flips for tests, read by the subsystems they affect: PAUSE-CRON (the
 * node's cron skips its duties), SET-DISABLE-DENY-SCRIPTS (scripts may call commands flagged
 * {@code noscript}), SET-SKIP-CHECKSUM-VALIDATION (RDB files and RESTORE payloads load without their
 * CRC64 checked). Touched only by the command thread.
 */
public final class DebugSwitches {
    private boolean cronPaused;
    private boolean denyScriptsDisabled;
    private boolean checksumValidationSkipped;

    public boolean cronPaused() {
        return cronPaused;
    }

    public void cronPaused(boolean paused) {
        this.cronPaused = paused;
    }

    /** True after DEBUG SET-DISABLE-DENY-SCRIPTS 1: scripts may run commands flagged noscript. */
    public boolean denyScriptsDisabled() {
        return denyScriptsDisabled;
    }

    public void denyScriptsDisabled(boolean disabled) {
        this.denyScriptsDisabled = disabled;
    }

    public boolean checksumValidationSkipped() {
        return checksumValidationSkipped;
    }

    public void checksumValidationSkipped(boolean skipped) {
        this.checksumValidationSkipped = skipped;
    }
}
