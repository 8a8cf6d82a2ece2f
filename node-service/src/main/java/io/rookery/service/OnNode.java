package io.rookery.service;

import io.rookery.node.RookeryNode;
import io.rookery.web.CallerLoop;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/** Runs a REST call's work on the node's command thread, the only one that may touch its state. */
final class OnNode {
    private OnNode() {
    }

    static <T> Mono<T> call(RookeryNode node, Supplier<T> work) {
        return CallerLoop.resume(node.call(work));
    }
}
