package io.rookery.admin.service;

import io.rookery.admin.job.Job;
import io.rookery.admin.job.JobEvent;
import io.rookery.admin.job.JobExecutor;
import io.rookery.admin.job.JobStore;
import io.rookery.admin.service.ApiModels.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.ObjectMapper;

/**
 * Jobs: their state, progress (slots, keys and bytes moved, rate, ETA), steps and step log; pause,
 * resume (also retries a failed job from its failed step) and cancel; and a server-sent-events stream
 * of job events (state changes, steps, progress, log lines), named by their type.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "jobs", description = "Cluster changes as persisted, resumable jobs")
class JobsResource {
    private final JobStore store;
    private final JobExecutor executor;
    private final ObjectMapper json;
    /**
     * Job events to every open stream. Jobs emit from their own threads, possibly at once; a sink's
     * emission must be serialized, and an unserialized {@code tryEmitNext} is dropped silently (a stream
     * then missed a job's final state under load), so {@link #publish} takes turns. A slow reader gets
     * its own bounded buffer (the oldest events go first), so it never holds up the others or the jobs.
     */
    private final Sinks.Many<JobEvent> sink = Sinks.many().multicast().directBestEffort();
    private static final int EVENTS_BUFFERED_PER_STREAM = 4096;

    JobsResource(JobStore store, JobExecutor executor, ObjectMapper json) {
        this.store = store;
        this.executor = executor;
        this.json = json;
        executor.addListener(this::publish);
    }

    private synchronized void publish(JobEvent event) {
        sink.tryEmitNext(event); // fails only when no stream is open: nobody to tell
    }

    @GetMapping
    @Operation(summary = "Jobs, newest first, optionally of one cluster")
    Mono<List<JobView>> jobs(@RequestParam(required = false) String cluster) {
        return Blocking.call(() -> store.jobs(cluster).stream().map(j -> view(j, false)).toList());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One job with its plan, steps and the last 200 lines of its step log")
    Mono<JobView> job(@PathVariable long id) {
        return Blocking.call(() -> view(find(id), true));
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause after the slots in flight (no slot is left open)")
    Mono<JobView> pause(@PathVariable long id) {
        return Blocking.call(() -> {
            find(id);
            return view(executor.pause(id), false);
        });
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused job, or retry a failed one from its failed step")
    Mono<JobView> resume(@PathVariable long id) {
        return Blocking.call(() -> {
            find(id);
            return view(executor.resume(id), false);
        });
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel: stop after the slots in flight and skip the remaining steps")
    Mono<JobView> cancel(@PathVariable long id) {
        return Blocking.call(() -> {
            find(id);
            return view(executor.cancel(id), false);
        });
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Job events as they happen (text/event-stream; event name = state, step, progress or log)")
    Flux<ServerSentEvent<JobEvent>> events(@RequestParam(required = false) Long job) {
        Flux<ServerSentEvent<JobEvent>> events = sink.asFlux()
                .onBackpressureBuffer(EVENTS_BUFFERED_PER_STREAM, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST)
                .filter(e -> job == null || e.jobId() == job)
                .map(e -> ServerSentEvent.builder(e).event(e.type()).id(Long.toString(e.jobId())).build());
        Flux<ServerSentEvent<JobEvent>> heartbeat = Flux.interval(Duration.ZERO, Duration.ofSeconds(15))
                .map(i -> ServerSentEvent.<JobEvent>builder().comment("keep-alive").build());
        return Flux.merge(events, heartbeat);
    }

    private Job find(long id) {
        return store.job(id).orElseThrow(() -> new ProblemMapping.NoSuchJobException(id));
    }

    private JobView view(Job j, boolean detail) {
        Object plan = detail && j.planJson() != null ? json.readTree(j.planJson()) : null;
        return new JobView(j.id(), j.cluster(), j.kind(), j.description(), j.state(), j.params(), executor.progress(j.id()),
                j.createdAt(), j.startedAt(), j.finishedAt(), j.error(), executor.isRunningHere(j.id()), plan,
                detail ? store.steps(j.id()) : null, detail ? store.log(j.id(), 200) : null);
    }
}
