package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs jobs: one thread per running job (its slot moves on a few more), the cluster's lease held in
 * the store while it runs, every step's state stored before the step acts. Started with the service:
 * {@link #resumeInterrupted} picks up jobs a previous process left running. Pause and cancel take
 * effect between slots, so a paused or cancelled job never leaves a slot open.
 */
public final class JobExecutor implements AutoCloseable {
    private final JobStore store;
    private final Function<String, ClusterHandle> clusters;
    private final String instanceId;
    private final Duration leaseTtl;
    private final List<JobListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, JobRun> running = new ConcurrentHashMap<>();
    private final Map<Long, FinishedProgress> finishedProgress = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "admin-job");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public JobExecutor(JobStore store, Function<String, ClusterHandle> clusters, String instanceId, Duration leaseTtl) {
        this.store = store;
        this.clusters = clusters;
        this.instanceId = instanceId;
        this.leaseTtl = leaseTtl;
    }

    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    public String instanceId() {
        return instanceId;
    }

    JobStore store() {
        return store;
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    boolean closed() {
        return closed;
    }

    void emit(JobEvent e) {
        for (JobListener l : listeners) {
            try {
                l.on(e);
            } catch (RuntimeException ignored) {
                // a listener's failure must not stop a job
            }
        }
    }

    /** Starts (or restarts after a pause or failure) job {@code id}; a job already running here is left alone. */
    public void start(long id) {
        if (closed) {
            throw new IllegalStateException("the executor is shutting down");
        }
        Job job = store.job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
        running.computeIfAbsent(id, k -> {
            JobRun run = new JobRun(this, job, clusters.apply(job.cluster()));
            threads.execute(() -> {
                try {
                    run.run();
                } finally {
                    running.remove(id);
                }
            });
            return run;
        });
    }

    /** Starts every job a previous process left RUNNING (it resumes from its stored step states). */
    public void resumeInterrupted() {
        for (Job j : store.jobsIn(JobState.RUNNING)) {
            start(j.id());
        }
    }

    /** Asks a running job to pause after the slots in flight; a pending job is paused at once. */
    public Job pause(long id) {
        JobRun run = running.get(id);
        if (run != null) {
            run.requestPause();
            return store.job(id).orElseThrow();
        }
        return transition(id, JobState.PAUSED, JobState.PENDING);
    }

    /** Restarts a paused or failed job (a failed step is driven again from its stored state). */
    public Job resume(long id) {
        Job job = store.job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
        if (job.state() != JobState.PAUSED && job.state() != JobState.FAILED && job.state() != JobState.PENDING
                && job.state() != JobState.RUNNING) {
            throw new IllegalStateException("job " + id + " is " + job.state() + " and can't be resumed");
        }
        if (job.state() == JobState.PAUSED || job.state() == JobState.FAILED) {
            // pending again at once, so a caller never sees the old state after resuming
            store.update(job.withState(JobState.PENDING, job.error(), job.startedAt(), null));
        }
        start(id);
        return store.job(id).orElseThrow();
    }

    /** Cancels a job: a running one stops after the slots in flight, the rest of its steps skipped. */
    public Job cancel(long id) {
        JobRun run = running.get(id);
        if (run != null) {
            run.requestCancel();
            return store.job(id).orElseThrow();
        }
        return transition(id, JobState.CANCELLED, JobState.PENDING, JobState.PAUSED, JobState.FAILED);
    }

    private Job transition(long id, JobState to, JobState... from) {
        Job job = store.job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
        if (!List.of(from).contains(job.state())) {
            throw new IllegalStateException("job " + id + " is " + job.state() + " and can't become " + to);
        }
        Job changed = job.withState(to, job.error(), job.startedAt(), to.finished() ? Instant.now() : job.finishedAt());
        store.update(changed);
        store.log(id, "INFO", "job " + to.name().toLowerCase());
        emit(new JobEvent(id, job.cluster(), "state", to, "job " + to.name().toLowerCase(), Instant.now(), null,
                progress(id)));
        return changed;
    }

    public boolean isRunningHere(long id) {
        return running.containsKey(id);
    }

    /**
     * The job's progress, with the live counts of a running one. A finished job's is kept (until the
     * job's state or finish time changes, as when a failed job is resumed): listing jobs would
     * otherwise read every step of every finished job each time (a client polling the list while a
     * 4096-slot job ran spent more CPU in the service than the job did).
     */
    public JobProgress progress(long id) {
        Job job = store.job(id).orElseThrow(() -> new IllegalArgumentException("no job " + id));
        JobRun run = running.get(id);
        if (run == null && job.state().finished()) {
            FinishedProgress known = finishedProgress.get(id);
            if (known != null && known.state() == job.state() && java.util.Objects.equals(known.finishedAt(),
                    job.finishedAt())) {
                return known.progress();
            }
        }
        Instant until = job.finishedAt() != null ? job.finishedAt() : Instant.now();
        JobProgress p = run != null ? run.progress(until) : JobProgress.of(store.steps(id), job.startedAt(), until);
        if (run == null && job.state().finished()) {
            finishedProgress.put(id, new FinishedProgress(job.state(), job.finishedAt(), p));
        }
        return p;
    }

    /** A finished job's progress as of its final state. */
    private record FinishedProgress(JobState state, Instant finishedAt, JobProgress progress) {
    }

    /** Waits (bounded) for running jobs to stop after the executor is closed. */
    @Override
    public void close() {
        closed = true;
        running.values().forEach(JobRun::requestStop);
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }
}
