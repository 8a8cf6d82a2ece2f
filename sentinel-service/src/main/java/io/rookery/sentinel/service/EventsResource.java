package io.rookery.sentinel.service;

import io.rookery.sentinel.Sentinel;
import io.rookery.sentinel.SentinelEvent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The sentinel's events (the same ones its pub/sub publishes: +sdown, +odown, +switch-master, ...) as
 * server-sent events, one per event, named by its type. Slow readers miss events rather than slow the
 * sentinel down; a comment line at once and every 15 s then opens the stream and keeps it open
 * through proxies.
 */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events", description = "The sentinel event stream")
class EventsResource {
    private final Sinks.Many<SentinelEvent> sink = Sinks.many().multicast().directBestEffort();

    EventsResource(Sentinel sentinel) {
        sentinel.addListener(sink::tryEmitNext);
    }

    @GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Sentinel events as they happen (text/event-stream; event name = event type)")
    Flux<ServerSentEvent<SentinelEvent>> events() {
        Flux<ServerSentEvent<SentinelEvent>> events = sink.asFlux()
                .map(e -> ServerSentEvent.builder(e).event(e.type()).build());
        Flux<ServerSentEvent<SentinelEvent>> heartbeat = Flux.interval(Duration.ZERO, Duration.ofSeconds(15))
                .map(i -> ServerSentEvent.<SentinelEvent>builder().comment("keep-alive").build());
        return Flux.merge(events, heartbeat);
    }
}
