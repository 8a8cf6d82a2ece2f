package io.rookery.admin.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobEvent;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobState;
import io.rookery.admin.job.JobStep;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.job.StepKind;
import io.rookery.admin.job.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Job metrics: jobs by state (from the store), slots, keys and bytes moved, the live migration rate per
 * cluster, job durations by kind and outcome, and step errors by kind — fed by the executor's events.
 */
class JobMetrics {
    private final MeterRegistry meters;
    private final JobStore store;
    private final Map<String, Double> rates = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry meters, JobStore store, JobExecutor executor) {
        this.meters = meters;
        this.store = store;
        for (JobState s : JobState.values()) {
            Gauge.builder("rookery.admin.jobs", store, st -> st.jobsIn(s).size()).tag("state", s.name().toLowerCase())
                    .description("Jobs by state").register(meters);
        }
        executor.addListener(this::on);
    }

    private void on(JobEvent e) {
        String cluster = e.cluster();
        if ("step".equals(e.type()) && e.step() != null) {
            JobStep s = e.step();
            if (s.state() == StepState.DONE && s.kind() == StepKind.MOVE) {
                counter("rookery.admin.slots.moved", cluster, "Slots moved").increment();
                counter("rookery.admin.keys.moved", cluster, "Keys moved").increment(s.keysMoved());
                counter("rookery.admin.bytes.moved", cluster, "Bytes moved (estimated where not measured)")
                        .increment(s.bytesMoved());
            }
            if (s.state() == StepState.FAILED) {
                Counter.builder("rookery.admin.step.errors").tag("cluster", cluster).tag("kind", s.kind().name().toLowerCase())
                        .description("Job steps that failed").register(meters).increment();
            }
        }
        if (e.progress() != null && e.state() == JobState.RUNNING) {
            rate(cluster).put(cluster, e.progress().keysPerSecond());
        }
        if ("state".equals(e.type()) && e.state() != null && e.state().finished()) {
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

    private void recordDuration(Job j) {
        if (j.startedAt() == null) {
            return;
        }
        Instant end = j.finishedAt() != null ? j.finishedAt() : Instant.now();
        Timer.builder("rookery.admin.job.duration").tag("kind", j.kind()).tag("state", j.state().name().toLowerCase())
                .description("Job run time, from start to its final state").register(meters)
                .record(Duration.between(j.startedAt(), end));
    }

    private Counter counter(String name, String cluster, String description) {
        return Counter.builder(name).tag("cluster", cluster).description(description).register(meters);
    }
}
