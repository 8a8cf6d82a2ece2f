package io.rookery.admin.job;

import io.rookery.admin.cluster.ClusterHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One execution of one job on this instance: takes the cluster's lease (waiting while another instance
 * holds it), then walks the stored steps in order, skipping those already done. A run of consecutive
 * slot moves goes through a small scheduler: up to the job's concurrency at once, never two on the same
 * source or the same target. Every state change is stored before it acts.
 */
final class JobRun {
    private static final long PROGRESS_WRITE_MILLIS = 500;
    /** Slot moves whose IMPORTING one database commit stores, when moves run one at a time. */
    static final int STORE_AHEAD = 32;

    private final JobExecutor executor;
    private final JobStore store;
    private final ClusterHandle cluster;
    private final long id;
    private final String clusterName;
    private final List<JobStep> steps;
    private final long[] lastWrite;
    /** The progress sums of {@link #steps}, changed with them (under this run's lock). */
    private final JobTally tally;
    /**
     * Slot moves done but not yet stored as DONE (under this run's lock): they go with the next step
     * state stored, in the same transaction, at the latest when the run of moves ends (see {@link #setState}).
     */
    private final List<JobStep> unstoredDone = new ArrayList<>();
    /**
     * Slot moves stored as IMPORTING ahead of their turn while still PENDING here (under this run's
     * lock; see {@link #setState}); stored as PENDING again when the run of moves ends before them.
     */
    private final Set<Integer> storedAhead = new HashSet<>();
    /** The moves due next, in order, when they run one at a time (else null); read by {@link #setState}. */
    private volatile ArrayDeque<Integer> upcoming;
    private volatile boolean pauseRequested;
    private volatile boolean cancelRequested;
    private volatile boolean stopRequested;
    private volatile Instant startedHere;
    private volatile String failure;
    /** A failed step lost a node (no answer, or a MIGRATE that could not reach its target). */
    private volatile boolean nodeLost;

    JobRun(JobExecutor executor, Job job, ClusterHandle cluster) {
        this.executor = executor;
        this.store = executor.store();
        this.cluster = cluster;
        this.id = job.id();
        this.clusterName = job.cluster();
        this.steps = new ArrayList<>(store.steps(job.id()));
        this.lastWrite = new long[steps.size()];
        this.tally = new JobTally(steps);
    }

    void requestPause() {
        pauseRequested = true;
        log("INFO", "pause requested: stopping after the slots in flight");
    }

    void requestCancel() {
        cancelRequested = true;
        log("INFO", "cancel requested: stopping after the slots in flight");
    }

    void requestStop() {
        stopRequested = true;
    }

    Instant startedHere() {
        return startedHere;
    }

    synchronized List<JobStep> liveSteps() {
        return List.copyOf(steps);
    }

    /** The live progress, its rate counted from this run's start until {@code until}. */
    synchronized JobProgress progress(Instant until) {
        return tally.progress(startedHere, until);
    }

    /** Replaces step {@code index} (the caller holds this run's lock). */
    private void put(int index, JobStep step) {
        tally.replace(steps.get(index), step);
        steps.set(index, step);
    }

    private boolean halted() {
        return pauseRequested || cancelRequested || stopRequested || executor.closed() || failure != null;
    }

    void run() {
        if (!awaitLease()) {
            return;
        }
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-lease-" + id);
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, executor.leaseTtl().toMillis() / 3);
        renewer.scheduleAtFixedRate(() -> {
            if (!store.acquireLease(clusterName, executor.instanceId(), executor.leaseTtl())) {
                log("WARN", "lost the lease on cluster " + clusterName + ": stopping");
                stopRequested = true;
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            execute();
        } catch (RuntimeException e) {
            failure = failure != null ? failure : String.valueOf(e.getMessage());
            finish(JobState.FAILED, failure);
        } finally {
            renewer.shutdownNow();
            if (!stopRequested || cancelRequested) {
                store.releaseLease(clusterName, executor.instanceId());
            }
        }
    }

    private boolean awaitLease() {
        boolean told = false;
        while (!store.acquireLease(clusterName, executor.instanceId(), executor.leaseTtl())) {
            if (!told) {
                log("INFO", "cluster " + clusterName + " is leased by " + store.leaseHolder(clusterName).orElse("?")
                        + ": this instance waits");
                told = true;
            }
            if (stopRequested || executor.closed() || cancelRequested) {
                return false;
            }
            sleep(Math.max(100, executor.leaseTtl().toMillis() / 3));
        }
        return true;
    }

    private void execute() {
        Job job = store.job(id).orElseThrow();
        startedHere = Instant.now();
        Job running = job.withState(JobState.RUNNING, null, job.startedAt() != null ? job.startedAt() : startedHere, null);
        store.update(running);
        event("state", JobState.RUNNING, job.startedAt() == null ? "job started" : "job resumed", null);
        JobParams params = job.params();
        MigrationThrottle throttle = new MigrationThrottle(params.keysPerSecond(), params.bytesPerSecond());
        SlotMigrator migrator = new SlotMigrator(cluster, params, throttle);
        Set<String> jobNodes = new LinkedHashSet<>();
        for (JobStep s : steps) {
            if (s.nodeId() != null) {
                jobNodes.add(s.nodeId());
            }
            if (s.peerId() != null) {
                jobNodes.add(s.peerId());
            }
        }
        try (migrator) {
            int i = 0;
            while (i < steps.size() && !halted()) {
                JobStep step = steps.get(i);
                if (step.kind() == StepKind.MOVE) {
                    int end = i;
                    while (end < steps.size() && steps.get(end).kind() == StepKind.MOVE) {
                        end++;
                    }
                    runMoves(i, end, migrator, params.concurrency());
                    i = end;
                    continue;
                }
                if (!step.state().finished()) {
                    runSingle(i, migrator, jobNodes);
                }
                i++;
            }
        }
        if (failure != null) {
            reportFailure();
            finish(JobState.FAILED, failure);
        } else if (cancelRequested) {
            skipRemaining();
            finish(JobState.CANCELLED, null);
        } else if (pauseRequested) {
            finish(JobState.PAUSED, null);
        } else if (stopRequested || executor.closed()) {
            log("INFO", "stopped with the service; the job resumes when an instance starts it again");
        } else {
            finish(JobState.SUCCEEDED, null);
        }
    }

    private void runSingle(int index, SlotMigrator migrator, Set<String> jobNodes) {
        JobStep step = steps.get(index);
        setState(index, StepState.RUNNING, null);
        try {
            new StepActions(cluster, migrator, progressFor(index)).run(step, jobNodes);
            setState(index, StepState.DONE, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (RuntimeException e) {
            setState(index, StepState.FAILED, e.getMessage());
            nodeLost |= FailureReport.lostANode(e);
            failure = "step " + index + " (" + step.describe() + ") failed: " + e.getMessage();
        }
    }

    /** Slot moves [from, to) (see {@link #scheduleMoves}), then one log line of what they did. */
    private void runMoves(int from, int to, SlotMigrator migrator, int concurrency) {
        long started = System.nanoTime();
        int doneBefore = countDone(from, to);
        try {
            scheduleMoves(from, to, migrator, concurrency);
        } finally {
            migrator.settle(progressFor(from)); // the last overlapped move's DONE, the other primaries' replies
            storeDone();
            int moved = countDone(from, to) - doneBefore;
            if (moved > 0) {
                long keys = 0;
                for (int i = from; i < to; i++) {
                    keys += steps.get(i).keysMoved();
                }
                log("INFO", String.format(java.util.Locale.ROOT, "moved %d slot(s) in %.1f s; %d of %d moves done, %d keys in all",
                        moved, (System.nanoTime() - started) / 1e9, countDone(from, to), to - from, keys));
            }
        }
    }

    private synchronized int countDone(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (steps.get(i).state() == StepState.DONE) {
                n++;
            }
        }
        return n;
    }

    /**
     * Slot moves [from, to): in flight first (a restart re-drives them), then pending ones in order,
     * each started when a worker is free and neither its source nor its target is busy.
     */
    private void scheduleMoves(int from, int to, SlotMigrator migrator, int concurrency) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = from; i < to; i++) {
            if (steps.get(i).state().inFlight() || steps.get(i).state() == StepState.FAILED) {
                queue.add(i);
            }
        }
        for (int i = from; i < to; i++) {
            if (steps.get(i).state() == StepState.PENDING) {
                queue.add(i);
            }
        }
        if (queue.isEmpty()) {
            return;
        }
        if (concurrency == 1) {
            // one slot at a time: on this thread, sparing two thread hand-offs per slot
            upcoming = queue;
            try {
                while (!queue.isEmpty() && !halted()) {
                    moveOne(queue.poll(), migrator);
                }
            } finally {
                upcoming = null;
            }
            return;
        }
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "admin-move-" + id);
            t.setDaemon(true);
            return t;
        });
        Set<String> busy = new HashSet<>();
        List<Future<?>> inFlight = new ArrayList<>();
        Object lock = new Object();
        try {
            while (!queue.isEmpty() && !halted()) {
                Integer next = null;
                synchronized (lock) {
                    while (next == null && !halted()) {
                        if (busy.size() / 2 < concurrency) {
                            for (Integer candidate : queue) {
                                JobStep s = steps.get(candidate);
                                if (!busy.contains(s.nodeId()) && !busy.contains(s.peerId())) {
                                    next = candidate;
                                    break;
                                }
                            }
                        }
                        if (next == null) {
                            waitOn(lock);
                        }
                    }
                    if (next == null) {
                        break;
                    }
                    queue.remove(next);
                    JobStep s = steps.get(next);
                    busy.add(s.nodeId());
                    busy.add(s.peerId());
                }
                int index = next;
                inFlight.add(workers.submit(() -> {
                    try {
                        moveOne(index, migrator);
                    } finally {
                        synchronized (lock) {
                            JobStep s = steps.get(index);
                            busy.remove(s.nodeId());
                            busy.remove(s.peerId());
                            lock.notifyAll();
                        }
                    }
                }));
            }
        } finally {
            for (Future<?> f : inFlight) {
                try {
                    f.get();
                } catch (Exception e) {
                    // moveOne records its own failure
                }
            }
            workers.shutdown();
        }
    }

    private static void waitOn(Object lock) {
        try {
            lock.wait(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void moveOne(int index, SlotMigrator migrator) {
        JobStep step;
        synchronized (this) {
            step = steps.get(index);
            lastWrite[index] = System.currentTimeMillis(); // a slot's progress is stored once it takes a while
        }
        long perKey = step.keysPlanned() > 0 ? step.bytesPlanned() / step.keysPlanned() : 0;
        try {
            // DONE (or the failure) comes through the progress once the source has answered (see moveOverlapped)
            migrator.moveOverlapped(step.slot(), step.nodeId(), step.peerId(), perKey,
                    step.state() != StepState.PENDING, progressFor(index));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (RuntimeException e) {
            moveFailed(index, e);
        }
    }

    private void moveFailed(int index, RuntimeException e) {
        JobStep step = setState(index, StepState.FAILED, e.getMessage());
        nodeLost |= FailureReport.lostANode(e);
        synchronized (this) {
            if (failure == null) {
                failure = "step " + index + " (" + step.describe() + ") failed: " + e.getMessage();
            }
        }
    }

    private SlotMigrator.Progress progressFor(int index) {
        return new SlotMigrator.Progress() {
            @Override
            public void state(StepState state) {
                setState(index, state, null);
            }

            @Override
            public void moved(long keys, long bytes) {
                JobStep updated;
                boolean write;
                synchronized (JobRun.this) {
                    JobStep s = steps.get(index);
                    updated = s.withMoved(s.keysMoved() + keys, s.bytesMoved() + bytes);
                    put(index, updated);
                    long now = System.currentTimeMillis();
                    write = now - lastWrite[index] >= PROGRESS_WRITE_MILLIS;
                    if (write) {
                        lastWrite[index] = now;
                    }
                }
                if (write) {
                    store.update(updated);
                    event("progress", JobState.RUNNING, null, updated);
                }
            }

            @Override
            public void log(String level, String message) {
                JobRun.this.log(level, message);
            }

            @Override
            public void failed(RuntimeException e) {
                moveFailed(index, e);
            }
        };
    }

    /**
     * Records the step's new state (with its counts so far) before the caller acts on it: stored, except
     * a slot move's states after IMPORTING (MIGRATING, MOVING_KEYS, ASSIGNING), which only the live
     * view and the events show. A move stored as IMPORTING is in flight whichever of them it reached,
     * and a restart drives it again the same way from any of them (see {@link SlotMigrator}), so
     * storing them would cost three database writes per slot and tell a restart nothing more.
     *
     * <p>A slot move's DONE is stored with the next state stored (the next slot's IMPORTING, in one
     * transaction), or when the run of moves ends: one database commit per slot instead of two (a
     * 4096-slot job spent a tenth of its time committing). Until then the store shows the move in
     * flight; a restart in between drives it again, finds the target owning the slot and only repeats
     * the assignment. Nor is a move's DONE logged line by line ({@link #runMoves} logs a summary).
     */
    private JobStep setState(int index, StepState state, String error) {
        JobStep updated;
        synchronized (this) {
            updated = steps.get(index).withState(state, error);
            put(index, updated);
        }
        boolean moveDone = state == StepState.DONE && updated.kind() == StepKind.MOVE;
        if (moveDone) {
            synchronized (this) {
                unstoredDone.add(updated);
            }
        } else if (!(state == StepState.MIGRATING || state == StepState.MOVING_KEYS || state == StepState.ASSIGNING)) {
            List<JobStep> writes = null;
            synchronized (this) {
                if (!(state == StepState.IMPORTING && storedAhead.remove(index))) { // else stored ahead already
                    writes = new ArrayList<>(unstoredDone);
                    unstoredDone.clear();
                    writes.add(updated);
                    if (state == StepState.IMPORTING) {
                        storeAhead(writes);
                    }
                }
            }
            if (writes != null) {
                store.update(writes);
            }
        }
        if ((state == StepState.DONE && !moveDone) || state == StepState.FAILED || state == StepState.RUNNING) {
            log(state == StepState.FAILED ? "ERROR" : "INFO", updated.describe() + ": "
                    + state.name().toLowerCase() + (error != null ? " (" + error + ")" : ""));
        }
        event("step", JobState.RUNNING, updated.describe() + ": " + state.name().toLowerCase(), updated);
        return updated;
    }

    /**
     * Adds to {@code writes} the IMPORTING of the next {@value #STORE_AHEAD} - 1 pending moves, when
     * moves run one at a time (the caller holds this run's lock). Their IMPORTING is then stored before
     * their commands as always, only sooner: one commit for many slots, where a commit per slot cost a
     * 4096-slot job a quarter of its CPU (H2 writes a new chunk per commit). A restart drives such a
     * slot as in flight, which costs it a check of the two nodes' CLUSTER NODES and nothing else.
     */
    private void storeAhead(List<JobStep> writes) {
        ArrayDeque<Integer> next = upcoming;
        if (next == null) {
            return;
        }
        int n = 0;
        for (Integer j : next) {
            if (n == STORE_AHEAD - 1) {
                break;
            }
            JobStep s = steps.get(j);
            if (s.state() == StepState.PENDING && s.kind() == StepKind.MOVE && storedAhead.add(j)) {
                writes.add(s.withState(StepState.IMPORTING, null));
                n++;
            }
        }
    }

    /**
     * Stores the slot moves done since the last state stored, and PENDING again for moves stored
     * ahead that did not start (see {@link #setState}).
     */
    private void storeDone() {
        List<JobStep> writes;
        synchronized (this) {
            writes = new ArrayList<>(unstoredDone);
            unstoredDone.clear();
            for (Integer j : storedAhead) {
                writes.add(steps.get(j));
            }
            storedAhead.clear();
        }
        if (!writes.isEmpty()) {
            store.update(writes);
        }
    }

    private void skipRemaining() {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).state() == StepState.PENDING) {
                JobStep s;
                synchronized (this) {
                    s = steps.get(i).withState(StepState.SKIPPED, null);
                    put(i, s);
                }
                store.update(s);
            }
        }
    }

    /**
     * After a failure: which of the failed steps' nodes can't be reached, which slots the cluster has open
     * now and how to finish (see {@link FailureReport}); the job's error then names the unreachable nodes.
     */
    private void reportFailure() {
        try {
            List<JobStep> failed = liveSteps().stream().filter(s -> s.state() == StepState.FAILED).toList();
            FailureReport report = FailureReport.of(id, clusterName, failed, cluster.refresh());
            if (nodeLost && report.cause() == null) { // a node on its way down may still answer for a moment
                sleep(1_000);
                report = FailureReport.of(id, clusterName, failed, cluster.refresh());
            }
            report.lines().forEach(l -> log(l.level(), l.message()));
            if (report.cause() != null) {
                failure = failure + " (" + report.cause() + ")";
            }
        } catch (RuntimeException e) {
            log("WARN", "could not read the cluster after the failure: " + e.getMessage());
        }
    }

    private void finish(JobState state, String error) {
        Job job = store.job(id).orElseThrow();
        Job done = job.withState(state, error, job.startedAt(), state.finished() ? Instant.now() : null);
        store.update(done);
        log(state == JobState.FAILED ? "ERROR" : "INFO", "job " + state.name().toLowerCase()
                + (error != null ? ": " + error : ""));
        event("state", state, "job " + state.name().toLowerCase(), null);
    }

    private void log(String level, String message) {
        store.log(id, level, message);
        executor.emit(new JobEvent(id, clusterName, "log", null, level + " " + message, Instant.now(), null, null));
    }

    /** Emits an event with the progress so far (counted under the lock, not from a copy of every step). */
    private void event(String type, JobState state, String message, JobStep step) {
        JobProgress progress = progress(Instant.now());
        executor.emit(new JobEvent(id, clusterName, type, state, message, Instant.now(), step, progress));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
