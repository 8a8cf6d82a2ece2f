package io.rookery.admin.job;

import java.time.Instant;

/**
 * Something that happened to a job, for the event stream and the metrics: {@code type} is one of
 * {@code state} (the job changed state), {@code step} (a step changed state), {@code progress} (keys
 * moved), {@code log} (a step-log line).
 */
public record JobEvent(long jobId, String cluster, String type, JobState state, String message, Instant at,
                       JobStep step, JobProgress progress) {
}
