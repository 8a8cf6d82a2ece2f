package io.rookery.admin.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sums a job's progress is made of (steps done, slot moves done, keys and bytes moved, keys
 * planned), kept up to date one step change at a time. A running job reports its progress with every
 * step event, several per slot: counting all of a 4096-slot job's steps each time cost more CPU than
 * the job's own work per slot. Not thread-safe; {@link JobRun} guards it with its step list.
 */
final class JobTally {
    private int steps;
    private int done;
    private int moves;
    private int moved;
    private long keys;
    private long planned;
    private long bytes;

    JobTally(List<JobStep> all) {
        for (JobStep s : all) {
            add(s, 1);
        }
    }

    /** Step {@code before} became {@code after} (the same step, a new state or new counts). */
    void replace(JobStep before, JobStep after) {
        add(before, -1);
        add(after, 1);
    }

    private void add(JobStep s, int sign) {
        steps += sign;
        if (s.state().finished()) {
            done += sign;
        }
        if (s.kind() == StepKind.MOVE) {
            moves += sign;
            if (s.state().finished()) {
                moved += sign;
            }
            planned += sign * Math.max(s.keysPlanned(), s.keysMoved());
        }
        keys += sign * s.keysMoved();
        bytes += sign * s.bytesMoved();
    }

    /** The progress now: the key rate since {@code startedAt} (null: unknown) until {@code until}, and the time left at it. */
    JobProgress progress(Instant startedAt, Instant until) {
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
        return new JobProgress(done, steps, moved, moves, keys, planned, bytes, Math.round(rate * 10) / 10.0, eta);
    }
}
