package io.rookery.web;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * Turns HTTP keep-alive off: each connection carries one request, then closes.
 *
 * <p>The reason is a reactor-netty defect (1.3.7, the version Spring Boot 4.1.1 brings; fixed after
 * 1.3.8 by reactor-netty pull request 4347): when a keep-alive request arrives before the previous
 * response's bookkeeping has finished, reactor-netty buffers it and may never read on, so the
 * request hangs until the client gives up. Any response completed off the connection's event loop
 * can trigger it (our REST calls avoid that with {@link CallerLoop}, but actuator and springdoc
 * endpoints do not). An admin API answers a few requests a minute; a reliable answer is worth more
 * than a reused connection. {@link ServiceWebAutoConfiguration} declares it for every service;
 * remove it once reactor-netty is upgraded past the fix.
 */
public final class OneRequestPerConnection implements NettyServerCustomizer {

    @Override
    public HttpServer apply(HttpServer server) {
        return server.maxKeepAliveRequests(1);
    }
}
