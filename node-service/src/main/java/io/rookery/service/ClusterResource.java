package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.cluster.Cluster;
import io.rookery.node.cluster.ClusterSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** The cluster as this node sees it: nodes, state, epochs and the slot table (read-only). */
@RestController
@RequestMapping("/api/v1/cluster")
@Tag(name = "cluster", description = "Cluster mode: this node's view of the nodes, their roles and links, and the slot table")
class ClusterResource {
    private final RookeryNode node;

    ClusterResource(RookeryNode node) {
        this.node = node;
    }

    @GetMapping
    @Operation(summary = "Myself, cluster state, epochs, and every known node with its flags, primary, epoch, link and slot count")
    Mono<ClusterSnapshot> cluster() {
        return OnNode.call(node, () -> cluster(node).snapshot());
    }

    @GetMapping("/slots")
    @Operation(summary = "The slot table as ranges: owner, and migrating-to / importing-from for slots being moved")
    Mono<List<ClusterSnapshot.SlotRange>> slots() {
        return OnNode.call(node, () -> cluster(node).snapshot().slots());
    }

    private static Cluster cluster(RookeryNode node) {
        Cluster c = node.parts().cluster();
        if (c == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "cluster mode is off (cluster-enabled no)");
        }
        return c;
    }
}
