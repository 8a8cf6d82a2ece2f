package io.rookery.admin.service;

import io.rookery.admin.service.DeclaredTopologyBootstrap.DeclaredTopologyStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Where the cluster declared in the configuration ({@code rookery.admin.topology.*}) stands. */
@RestController
@Tag(name = "declared topology", description = "The cluster the service creates on first start from its configuration")
class DeclaredTopologyResource {
    private final DeclaredTopologyBootstrap bootstrap;

    DeclaredTopologyResource(DeclaredTopologyBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @GetMapping("/api/v1/declared-topology")
    @Operation(summary = "The declared cluster's state: NONE, WAITING, CREATING, READY, CONFLICT or FAILED, with the "
            + "reason and the create job's id")
    Mono<DeclaredTopologyStatus> status() {
        return Mono.just(bootstrap.status());
    }
}
