package io.rookery.admin.service;

import io.rookery.admin.service.ApiModels.AddNodeRequest;
import io.rookery.admin.service.ApiModels.ClusterSummary;
import io.rookery.admin.service.ApiModels.FixRequest;
import io.rookery.admin.service.ApiModels.RemoveNodeRequest;
import io.rookery.admin.service.ApiModels.ReshardRequest;
import io.rookery.admin.service.ApiModels.CreateRequest;
import io.rookery.admin.service.ApiModels.FailoverRequest;
import io.rookery.admin.service.ApiModels.RebalanceRequest;
import io.rookery.admin.service.ApiModels.RegisterRequest;
import io.rookery.admin.service.ApiModels.TopologyView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Managed clusters: register (adopt) or create one, read its topology and health, and change it. Every
 * change is a job (202 with the job) or, with {@code ?dryRun=true}, the plan it would carry out (200).
 */
@RestController
@RequestMapping("/api/v1/clusters")
@Tag(name = "clusters", description = "Managed clusters, their topology and health, and the jobs that change them")
class ClustersResource {
    private final ClusterOperations ops;

    ClustersResource(ClusterOperations ops) {
        this.ops = ops;
    }

    @GetMapping
    @Operation(summary = "The managed clusters (credentials masked)")
    Mono<List<ClusterSummary>> clusters() {
        return Blocking.call(ops::clusters);
    }

    @PostMapping
    @Operation(summary = "Register (adopt) a running cluster by its seed addresses; 201, 409 when the name is taken")
    Mono<ResponseEntity<ClusterSummary>> register(@RequestBody RegisterRequest request) {
        return Blocking.call(() -> ResponseEntity.status(HttpStatus.CREATED).body(ops.register(request)));
    }

    @PostMapping("/create")
    @Operation(summary = "Create a cluster from empty nodes with N replicas per primary (a job; dryRun shows the plan)")
    Mono<ResponseEntity<Object>> create(@RequestBody CreateRequest request,
                                        @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.create(request, dryRun), dryRun));
    }

    @GetMapping("/{name}")
    @Operation(summary = "One managed cluster (credentials masked)")
    Mono<ClusterSummary> cluster(@PathVariable String name) {
        return Blocking.call(() -> ops.cluster(name));
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Stop managing a cluster (the cluster is untouched); 409 while one of its jobs is active")
    Mono<ResponseEntity<Void>> unregister(@PathVariable String name) {
        return Blocking.call(() -> {
            ops.unregister(name);
            return ResponseEntity.noContent().build();
        });
    }

    @GetMapping("/{name}/topology")
    @Operation(summary = "Nodes (role, primary, flags, link, slots, epochs, offsets, memory, ops/s), the slot map as "
            + "ranges, open slots, coverage and the health verdict with its reasons")
    Mono<TopologyView> topology(@PathVariable String name) {
        return Blocking.call(() -> ops.topology(name));
    }

    @GetMapping("/{name}/health")
    @Operation(summary = "The health verdict with reasons, as redis-cli --cluster check gives them")
    Mono<Object> health(@PathVariable String name) {
        return Blocking.call(() -> ops.topology(name).health());
    }

    @PostMapping("/{name}/rebalance")
    @Operation(summary = "Rebalance by slot count (weights, threshold, useEmptyPrimaries) or by load (metric)")
    Mono<ResponseEntity<Object>> rebalance(@PathVariable String name, @RequestBody(required = false) RebalanceRequest request,
                                           @RequestParam(defaultValue = "false") boolean dryRun) {
        RebalanceRequest r = request != null ? request : new RebalanceRequest(null, null, null, null, null, null, null);
        return Blocking.call(() -> answer(ops.rebalance(name, r, dryRun), dryRun));
    }

    @PostMapping("/{name}/reshard")
    @Operation(summary = "Move N slots from sources (or all) to a target primary, or given slot ranges from their owners")
    Mono<ResponseEntity<Object>> reshard(@PathVariable String name, @RequestBody ReshardRequest request,
                                         @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.reshard(name, request, dryRun), dryRun));
    }

    @PostMapping("/{name}/nodes")
    @Operation(summary = "Add an empty node as a primary, or as a replica of a primary (or of the one with fewest replicas)")
    Mono<ResponseEntity<Object>> addNode(@PathVariable String name, @RequestBody AddNodeRequest request,
                                         @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.addNode(name, request, dryRun), dryRun));
    }

    @DeleteMapping("/{name}/nodes/{id}")
    @Operation(summary = "Remove a node: a primary is drained of its slots first, then it is forgotten everywhere and reset")
    Mono<ResponseEntity<Object>> removeNode(@PathVariable String name, @PathVariable String id,
                                            @RequestBody(required = false) RemoveNodeRequest request,
                                            @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.removeNode(name, id, request, dryRun), dryRun));
    }

    @PostMapping("/{name}/fix")
    @Operation(summary = "Close half-migrated (open) slots and assign uncovered ones, as redis-cli --cluster fix")
    Mono<ResponseEntity<Object>> fix(@PathVariable String name, @RequestBody(required = false) FixRequest request,
                                     @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.fix(name, request, dryRun), dryRun));
    }

    @PostMapping("/{name}/failover")
    @Operation(summary = "CLUSTER FAILOVER [FORCE|TAKEOVER] on a named replica or the best replica of a primary")
    Mono<ResponseEntity<Object>> failover(@PathVariable String name, @RequestBody FailoverRequest request,
                                          @RequestParam(defaultValue = "false") boolean dryRun) {
        return Blocking.call(() -> answer(ops.failover(name, request, dryRun), dryRun));
    }

    static ResponseEntity<Object> answer(Object result, boolean dryRun) {
        return dryRun ? ResponseEntity.ok(result) : ResponseEntity.status(HttpStatus.ACCEPTED).body(result);
    }
}
