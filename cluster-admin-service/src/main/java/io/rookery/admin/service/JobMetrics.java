package io.rookery.admin.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobEvent;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobProgress;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.job.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job metrics: jobs by state (from the store), jobs finished by outcome, slots, keys and bytes moved, the
 * live migration rate, progress and time left per cluster, job durations by kind and outcome, and step
 * errors by kind — fed by the executor's events.
 *
 * <p>{@code rookery_admin_jobs_finished_total{state}} is registered at zero for every final state at
 * start, so the first failed job is an increase Prometheus sees (a series born at 1 has none) — the
 * alert "job failed" relies on it. Likewise a cluster's moved-slots/keys/bytes and step-error counters
 * are registered at zero at its first job event.
 */
class JobMetrics {
    private final MeterRegistry meters;
    private final JobStore store;
    private final Map<String, Double> rates = new ConcurrentHashMap<>();
    private final Map<String, JobProgress> progress = new ConcurrentHashMap<>();
    private final Map<JobState, Counter> finished = new EnumMap<>(JobState.class);
    private final Set<String> clusters = ConcurrentHashMap.newKeySet();
    /** Held here: a gauge keeps only a weak reference to what it reads, and reports NaN once that is collected. */
    private final StateCounts counts;

    JobMetrics(MeterRegistry meters, JobStore store, JobExecutor executor) {
        this.meters = meters;
        this.store = store;
        this.counts = new StateCounts(store);
        for (JobState s : JobState.values()) {
            Gauge.builder("rookery.admin.jobs", counts, c -> c.of(s)).tag("state", s.name().toLowerCase())
                    .description("Jobs by state").register(meters);
        }
        for (JobState s : JobState.values()) {
            if (s.finished()) {
                finished.put(s, Counter.builder("rookery.admin.jobs.finished").tag("state", s.name().toLowerCase())
                        .description("Times a job reached a final state, by that state (a failed job resumed or cancelled later counts again)").register(meters));
            }
        }
        executor.addListener(this::on);
    }

    private void on(JobEvent e) {
        String cluster = e.cluster();
        if (cluster == null) {
            return;
        }
        if ("step".equals(e.type()) && e.step() != null) {
            JobStep s = e.step();
            if (s.state() == StepState.DONE && s.kind() == StepKind.MOVE) {
                slotsMoved(cluster).increment();
                keysMoved(cluster).increment(s.keysMoved());
                bytesMoved(cluster).increment(s.bytesMoved());
            }
            if (s.state() == StepState.FAILED) {
                stepErrors(cluster, s.kind()).increment();
            }
        }
        if (clusters.add(cluster)) {
            // a cluster's counters exist at zero from its first job on, so its first move or error is an increase
            slotsMoved(cluster);
            keysMoved(cluster);
            bytesMoved(cluster);
            for (StepKind k : StepKind.values()) {
                stepErrors(cluster, k);
            }
        }
        if (e.progress() != null) {
            JobProgress p = e.progress();
            boolean over = e.state() != null && e.state().finished();
            progress(cluster).put(cluster, over ? new JobProgress(p.stepsDone(), p.steps(), p.slotsMoved(), p.slotsToMove(),
                    p.keysMoved(), p.keysPlanned(), p.bytesMoved(), 0, 0L) : p);
        }
        if (e.progress() != null && e.state() == JobState.RUNNING) {
            rate(cluster).put(cluster, e.progress().keysPerSecond());
        }
        if ("state".equals(e.type()) && e.state() != null && e.state().finished()) {
            finished.get(e.state()).increment();
            rates.put(cluster, 0.0);
            store.job(e.jobId()).ifPresent(this::recordDuration);
        }
    }

    private Map<String, Double> rate(String cluster) {
        if (!rates.containsKey(cluster)) {
            rates.put(cluster, 0.0);
            Gauge.builder("rookery.admin.migration.rate", rates, r -> r.getOrDefault(cluster, 0.0)).tag("cluster", cluster)
                    .description("Keys per second of the cluster's running job").register(meters);
        }
        return rates;
    }

    /**
     * The cluster's latest job progress, with its two gauges registered on first use:
     * {@code rookery_admin_job_progress} (slot moves done out of all, 1 for a job without moves once
     * finished) and {@code rookery_admin_job_eta_seconds} (time left at the job's rate; NaN while unknown).
     */
    private Map<String, JobProgress> progress(String cluster) {
        if (!progress.containsKey(cluster)) {
            Gauge.builder("rookery.admin.job.progress", progress, p -> fraction(p.get(cluster))).tag("cluster", cluster)
                    .description("Share of the slot moves of the cluster's latest job that are done (0..1)").register(meters);
            Gauge.builder("rookery.admin.job.eta", progress, p -> eta(p.get(cluster))).tag("cluster", cluster).baseUnit("seconds")
                    .description("Time the cluster's latest job still needs at its rate; 0 once done, NaN while unknown")
                    .register(meters);
        }
        return progress;
    }

    private static double fraction(JobProgress p) {
        if (p == null) {
            return Double.NaN;
        }
        if (p.slotsToMove() == 0) {
            return p.stepsDone() == p.steps() ? 1.0 : 0.0;
        }
        return (double) p.slotsMoved() / p.slotsToMove();
    }

    private static double eta(JobProgress p) {
        return p == null || p.etaSeconds() == null ? Double.NaN : p.etaSeconds();
    }

    private void recordDuration(Job j) {
        if (j.startedAt() == null) {
            return;
        }
        Instant end = j.finishedAt() != null ? j.finishedAt() : Instant.now();
        Timer.builder("rookery.admin.job.duration").tag("kind", j.kind()).tag("state", j.state().name().toLowerCase())
                .description("Job run time, from start to its final state").register(meters)
                .record(Duration.between(j.startedAt(), end));
    }

    private Counter slotsMoved(String cluster) {
        return counter("rookery.admin.slots.moved", cluster, "Slots moved");
    }

    private Counter keysMoved(String cluster) {
        return counter("rookery.admin.keys.moved", cluster, "Keys moved");
    }

    private Counter bytesMoved(String cluster) {
        return counter("rookery.admin.bytes.moved", cluster, "Bytes moved (estimated where not measured)");
    }

    private Counter stepErrors(String cluster, StepKind kind) {
        return Counter.builder("rookery.admin.step.errors").tag("cluster", cluster).tag("kind", kind.name().toLowerCase())
                .description("Job steps that failed").register(meters);
    }

    private Counter counter(String name, String cluster, String description) {
        return Counter.builder(name).tag("cluster", cluster).description(description).register(meters);
    }

    /**
     * Jobs per state for the {@code rookery_admin_jobs} gauges: one grouped count serves every state's gauge
     * of a scrape (they are read one after another), so a scrape costs one small query however many jobs
     * the store holds, not a load of every job per state.
     */
    private static final class StateCounts {
        private static final long FRESH_NANOS = 250_000_000L; // one scrape reads every state within this
        private final JobStore store;
        private Map<JobState, Integer> counts = Map.of();
        private long readAt;
        private boolean read;

        StateCounts(JobStore store) {
            this.store = store;
        }

        synchronized int of(JobState state) {
            long now = System.nanoTime();
            if (!read || now - readAt > FRESH_NANOS) {
                counts = store.countByState();
                readAt = now;
                read = true;
            }
            return counts.getOrDefault(state, 0);
        }
    }
}
