package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.web.CallerLoop;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Replication state and control: the node's role, offsets and replicas; REPLICAOF over HTTP. */
@RestController
@RequestMapping("/api/v1/replication")
@Tag(name = "replication", description = "Role, offsets, replicas and their lag; follow a primary or become one")
class ReplicationResource {
    private final RookeryNode node;

    ReplicationResource(RookeryNode node) {
        this.node = node;
    }

    /**
     * POST /api/v1/replication/replicaof body.
     *
     * @param host the primary to follow; null (with port null) means "no one": become a primary
     * @param port its port
     */
    record ReplicaOf(String host, Integer port) {
    }

    @GetMapping
    @Operation(summary = "Role, replication ids and offsets, backlog, link state, replicas with offsets and lag (INFO replication fields)")
    Mono<Map<String, String>> state() {
        return CallerLoop.resume(node.freshStatus()).map(status -> status.replication().fields());
    }

    @PostMapping("/replicaof")
    @Operation(summary = "Follow a primary ({\"host\":\"10.0.0.5\",\"port\":6379}) or become one ({})")
    Mono<Map<String, String>> replicaof(@RequestBody ReplicaOf body) {
        if ((body.host() == null) != (body.port() == null) || body.port() != null && (body.port() < 1 || body.port() > 65535)) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "give both host and port (1-65535), or neither"));
        }
        return OnNode.call(node, () -> {
            if (body.host() == null) {
                node.parts().replication().promote();
                node.parts().config().replicaof = "";
                return Map.of("role", "master");
            }
            String reply = node.parts().replication().replicaOf(body.host(), body.port());
            node.parts().config().replicaof = body.host() + " " + body.port();
            return Map.of("role", "slave", "result", reply);
        });
    }
}
