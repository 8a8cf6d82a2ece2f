package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigParameter;
import io.rookery.node.info.ProcessStats;
import io.rookery.node.status.NodeStatus;
import io.rookery.web.CallerLoop;
import io.rookery.web.Secrets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Read-only views of the node: its state and its configuration. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "node", description = "The data node's state and configuration")
class NodeResource {
    private final RookeryNode node;

    NodeResource(RookeryNode node) {
        this.node = node;
    }

    @GetMapping("/node")
    @Operation(summary = "Role, version, uptime, clients, keys per database and memory of the node")
    Mono<NodeView> node() {
        return CallerLoop.resume(node.freshStatus()).map(NodeResource::view);
    }

    /** The view of a status the command thread published; reads nothing live. */
    static NodeView view(NodeStatus status) {
        Map<Integer, Integer> keys = new TreeMap<>();
        for (int i = 0; i < status.keysPerDatabase().size(); i++) {
            int n = status.keysPerDatabase().get(i);
            if (n > 0) {
                keys.put(i, n);
            }
        }
        return new NodeView(status.role(), RookeryNode.VERSION, RookeryNode.REDIS_VERSION, status.port(),
                status.uptimeSeconds(), status.connectedClients(), keys, status.usedMemory(), ProcessStats.rss());
    }

    @GetMapping("/config")
    @Operation(summary = "Every configuration parameter by its Redis name (secrets such as requirepass and masterauth masked)")
    Mono<Map<String, String>> config() {
        return OnNode.call(node, () -> {
            Map<String, String> out = new TreeMap<>();
            for (ConfigParameter p : node.config().parameters()) {
                out.put(p.name(), Secrets.shown(p.name(), p.get()));
            }
            return out;
        });
    }
}
