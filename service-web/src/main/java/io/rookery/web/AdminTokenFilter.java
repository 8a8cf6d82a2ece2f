package io.rookery.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Mutating REST calls ({@code POST/PUT/PATCH/DELETE /api/**}) need {@code Authorization: Bearer <token>}
 * when the service's admin token is set; reads stay open. Refusals are problem+json 401s. Each service
 * declares one as a bean with its own token property.
 */
public final class AdminTokenFilter implements WebFilter {
    private final String token;

    /** {@code token} null or empty: every call is let through. */
    public AdminTokenFilter(String token) {
        this.token = token;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        boolean mutating = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
        if (token == null || token.isEmpty() || !mutating || !exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String auth = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (("Bearer " + token).equals(auth)) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set("WWW-Authenticate", "Bearer");
        String body = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"a valid admin token is required\",\"instance\":\""
                + exchange.getRequest().getPath().value().replace("\"", "") + "\"}";
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }
}
