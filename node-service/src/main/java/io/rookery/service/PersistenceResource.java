package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.node.config.ConfigException;
import io.rookery.node.persistence.Persistence;
import io.rookery.web.CallerLoop;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Persistence state and control: snapshots now or in the background, and the save policy. */
@RestController
@RequestMapping("/api/v1/persistence")
@Tag(name = "persistence", description = "RDB snapshots and the persistence policy")
class PersistenceResource {
    private final RookeryNode node;

    PersistenceResource(RookeryNode node) {
        this.node = node;
    }

    private Persistence persistence() {
        return node.parts().persistence();
    }

    @GetMapping
    @Operation(summary = "Last save, in-progress flags, pending changes, save rules and AOF policy")
    Mono<PersistenceView> state() {
        return CallerLoop.resume(node.freshStatus()).map(status -> PersistenceView.of(status.persistence()));
    }

    @PostMapping("/save")
    @Operation(summary = "Write a snapshot now (SAVE); 409 while a background save runs")
    Mono<Map<String, Object>> save() {
        return OnNode.call(node, () -> {
            if (persistence().bgsaveInProgress()) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "Background save already in progress");
            }
            try {
                persistence().save();
            } catch (IOException e) {
                throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR, "save failed: " + e.getMessage());
            }
            return Map.of("status", "saved", "lastSaveTime", persistence().lastSaveSeconds());
        });
    }

    @PostMapping("/bgsave")
    @Operation(summary = "Start a background snapshot (BGSAVE); 409 when one is running")
    Mono<ResponseEntity<Map<String, Object>>> bgsave() {
        return OnNode.call(node, () -> {
            if (!persistence().bgsave()) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "Background save already in progress");
            }
            return ResponseEntity.accepted().body(Map.<String, Object>of("status", "Background saving started"));
        });
    }

    @PostMapping("/rewrite-aof")
    @Operation(summary = "Rewrite the AOF in the background (BGREWRITEAOF); scheduled when a snapshot runs")
    Mono<ResponseEntity<Map<String, Object>>> rewriteAof() {
        return OnNode.call(node, () -> {
            if (persistence().aofRewriteInProgress()) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "Background append only file rewriting already in progress");
            }
            boolean started = persistence().rewriteAof();
            return ResponseEntity.accepted().body(Map.<String, Object>of("status",
                    started ? "Background append only file rewriting started" : "Background append only file rewriting scheduled"));
        });
    }

    @PutMapping("/policy")
    @Operation(summary = "Change save rules, appendonly and appendfsync (as CONFIG SET, all or nothing)")
    Mono<Map<String, String>> policy(@RequestBody PersistencePolicy policy) {
        Map<String, String> values = new LinkedHashMap<>();
        if (policy.save() != null) {
            values.put("save", policy.save());
        }
        if (policy.appendonly() != null) {
            values.put("appendonly", policy.appendonly());
        }
        if (policy.appendfsync() != null) {
            values.put("appendfsync", policy.appendfsync());
        }
        return OnNode.call(node, () -> {
            try {
                node.parts().config().set(values);
            } catch (ConfigException e) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            }
            return Map.of("save", node.parts().config().save, "appendonly", node.parts().config().appendonly ? "yes" : "no",
                    "appendfsync", node.parts().config().appendfsync);
        });
    }
}
