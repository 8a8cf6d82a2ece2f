package io.rookery.admin.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A job's progress: steps and slot moves done out of all, keys and bytes moved, the key rate since the
 * job (last) started and the time left at that rate (null while unknown).
 */
public record JobProgress(int stepsDone, int steps, int slotsMoved, int slotsToMove, long keysMoved, long keysPlanned,
                          long bytesMoved, double keysPerSecond, Long etaSeconds) {

    public static JobProgress of(List<JobStep> all, Instant startedAt, Instant until) {
        int done = 0;
        int moves = 0;
        int moved = 0;
        long keys = 0;
        long planned = 0;
        long bytes = 0;
        for (JobStep s : all) {
            if (s.state().finished()) {
                done++;
            }
            if (s.kind() == StepKind.MOVE) {
                moves++;
                if (s.state().finished()) {
                    moved++;
                }
                planned += Math.max(s.keysPlanned(), s.keysMoved());
            }
            keys += s.keysMoved();
            bytes += s.bytesMoved();
        }
        double seconds = startedAt == null ? 0 : Math.max(0.001, Duration.between(startedAt, until).toMillis() / 1000.0);
        double rate = seconds > 0 ? keys / seconds : 0;
        Long eta = null;
        if (moved == moves) {
            eta = 0L;
        } else if (rate > 0 && planned > keys) {
            eta = (long) Math.ceil((planned - keys) / rate);
        } else if (moved > 0 && seconds > 0) {
            eta = (long) Math.ceil((moves - moved) * seconds / moved);
        }
        return new JobProgress(done, all.size(), moved, moves, keys, planned, bytes, Math.round(rate * 10) / 10.0, eta);
    }
}
