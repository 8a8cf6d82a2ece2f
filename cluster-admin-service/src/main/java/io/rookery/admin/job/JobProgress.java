package io.rookery.admin.job;

import java.time.Instant;
import java.util.List;

/**
 * A job's progress: steps and slot moves done out of all, keys and bytes moved, the key rate since the
 * job (last) started and the time left at that rate (null while unknown).
 */
public record JobProgress(int stepsDone, int steps, int slotsMoved, int slotsToMove, long keysMoved, long keysPlanned,
                          long bytesMoved, double keysPerSecond, Long etaSeconds) {

    public static JobProgress of(List<JobStep> all, Instant startedAt, Instant until) {
        return new JobTally(all).progress(startedAt, until);
    }
}
