package io.rookery.admin.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where jobs, their steps, their step logs and the per-cluster leases are kept. The executor writes a
 * step's new state here before it sends the commands that state names; a restart reads it back.
 */
public interface JobStore {

    /** Stores a new job (its id is assigned here) with its steps numbered from 0; returns the stored job. */
    Job create(Job job, List<JobStep> steps);

    Optional<Job> job(long id);

    /** Jobs, newest first; {@code cluster} null for every cluster. */
    List<Job> jobs(String cluster);

    List<Job> jobsIn(JobState state);

    /** How many jobs are in each state (states without a job are absent): one count, not the jobs themselves. */
    Map<JobState, Integer> countByState();

    void update(Job job);

    List<JobStep> steps(long jobId);

    void update(JobStep step);

    /** Stores the steps' states and counts in one transaction (all or none). */
    void update(List<JobStep> steps);

    void log(long jobId, String level, String message);

    List<LogLine> log(long jobId, int limit);

    /**
     * Takes or renews the lease on {@code cluster} for {@code owner} until now + {@code ttl}: true when
     * {@code owner} holds it afterwards (it was free, expired, or already {@code owner}'s).
     */
    boolean acquireLease(String cluster, String owner, Duration ttl);

    void releaseLease(String cluster, String owner);

    /** Who holds an unexpired lease on {@code cluster}. */
    Optional<String> leaseHolder(String cluster);

    /** One step-log line. */
    record LogLine(long jobId, Instant at, String level, String message) {
    }
}
