package io.rookery.gateway.service;

import io.rookery.gateway.Gateway;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The gateway's view of its backend and clients, and a way to refresh the slot map now. */
@RestController
@RequestMapping("/api/v1/gateway")
@Tag(name = "gateway", description = "Backend, slot map and clients of the gateway")
class GatewayResource {
    private final Gateway gateway;

    GatewayResource(Gateway gateway) {
        this.gateway = gateway;
    }

    @GetMapping
    @Operation(summary = "Backend kind, slot map version and age, backends with their state, clients")
    Mono<GatewayView> view() {
        return Mono.fromCallable(() -> GatewayView.of(gateway)).subscribeOn(Schedulers.boundedElastic());
    }

    @PostMapping("/refresh")
    @Operation(summary = "Refresh the slot map now (asks the cluster or the sentinels); 202, needs the admin token")
    ResponseEntity<Map<String, Object>> refresh() {
        gateway.topology().refresh("operator");
        return ResponseEntity.accepted().body(Map.of("status", "refresh started",
                "slotMapVersion", gateway.topology().current().version()));
    }
}
