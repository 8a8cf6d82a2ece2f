package io.rookery.admin.job;

import java.time.Instant;

/**
 * A persisted job: what it does to which cluster, its parameters, its plan as shown by the dry run
 * (JSON), and its state. Steps and log lines are kept beside it ({@link JobStore}).
 */
public record Job(long id, String cluster, String kind, String description, JobState state, JobParams params,
                  String planJson, Instant createdAt, Instant startedAt, Instant finishedAt, String error) {

    public Job withState(JobState s, String err, Instant started, Instant finished) {
        return new Job(id, cluster, kind, description, s, params, planJson, createdAt, started, finished, err);
    }
}
