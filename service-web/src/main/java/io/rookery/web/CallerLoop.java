package io.rookery.web;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Hands the result of work done on an engine's own thread (a node's or a sentinel's) back to the HTTP
 * connection's event loop, the thread that called.
 *
 * <p>The hop matters twice: JSON encoding stays off the engine's thread, and the response completes on
 * the thread that owns the connection, which keeps clear of reactor-netty's keep-alive defect (see
 * {@link OneRequestPerConnection}).
 */
public final class CallerLoop {
    private CallerLoop() {
    }

    /** Call on the request's thread, before {@code work} can complete. */
    public static <T> Mono<T> resume(CompletableFuture<T> work) {
        EventExecutor caller = ThreadExecutorMap.currentExecutor();
        Mono<T> result = Mono.fromFuture(work);
        return caller == null ? result : result.publishOn(Schedulers.fromExecutor(caller));
    }
}
