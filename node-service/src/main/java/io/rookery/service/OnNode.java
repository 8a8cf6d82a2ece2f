package io.rookery.service;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.rookery.node.RookeryNode;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a REST call's work on the node's command thread (the only thread that may touch the keyspace and
 * the node's state) and hands the result back to the HTTP connection's own event loop.
 *
 * <p>The hop back matters twice: JSON encoding stays off the command thread, and the response completes on
 * the thread that owns the connection. Completing it from a foreign thread races reactor-netty's
 * keep-alive bookkeeping (reactor-netty issue 4188): the client's next request on the same connection could
 * then go unanswered.
 */
final class OnNode {
    private OnNode() {
    }

    static <T> Mono<T> call(RookeryNode node, Supplier<T> work) {
        EventExecutor caller = ThreadExecutorMap.currentExecutor();
        Mono<T> result = Mono.fromFuture(node.call(work));
        return caller == null ? result : result.publishOn(Schedulers.fromExecutor(caller));
    }
}
