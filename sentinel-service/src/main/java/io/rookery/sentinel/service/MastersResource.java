package io.rookery.sentinel.service;

import io.rookery.sentinel.MasterView;
import io.rookery.sentinel.Sentinel;
import io.rookery.web.CallerLoop;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The monitored primaries: their state, replicas and sentinels, and a way to fail one over. */
@RestController
@RequestMapping("/api/v1/masters")
@Tag(name = "masters", description = "Monitored primaries and failovers")
class MastersResource {
    private final Sentinel sentinel;

    MastersResource(Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    @GetMapping
    @Operation(summary = "Every monitored primary with its replicas and sentinels (SENTINEL MASTERS and more)")
    Mono<List<MasterView>> masters() {
        return CallerLoop.resume(sentinel.masters());
    }

    @GetMapping("/{name}")
    @Operation(summary = "One primary: state, epochs, replicas, sentinels; 404 when not monitored")
    Mono<MasterView> master(@PathVariable String name) {
        return CallerLoop.resume(sentinel.master(name))
                .switchIfEmpty(Mono.error(() -> notMonitored(name)));
    }

    @PostMapping("/{name}/failover")
    @Operation(summary = "Fail over now without asking the other sentinels (SENTINEL FAILOVER); "
            + "202 when started, 404 unknown, 409 one already running, 422 no replica to promote")
    Mono<ResponseEntity<Map<String, String>>> failover(@PathVariable String name) {
        return CallerLoop.resume(sentinel.forceFailover(name)).map(error -> {
            throw problem(name, error);
        }).then(Mono.just(ResponseEntity.accepted().body(Map.of("master", name, "status", "failover started"))));
    }

    private static ResponseStatusException notMonitored(String name) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no monitored primary named '" + name + "'");
    }

    private static ResponseStatusException problem(String name, String error) {
        if (error.startsWith("INPROG")) {
            return new ResponseStatusException(HttpStatus.CONFLICT, error);
        }
        if (error.startsWith("NOGOODSLAVE")) {
            return new ResponseStatusException(HttpStatus.UNPROCESSABLE_ENTITY, error);
        }
        return notMonitored(name);
    }
}
