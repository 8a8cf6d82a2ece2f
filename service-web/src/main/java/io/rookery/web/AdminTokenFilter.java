package io.rookery.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards state-changing REST calls ({@code POST/PUT/PATCH/DELETE /api/**}); reads stay open.
 *
 * <ul>
 *   <li>No admin token configured: every such call is refused with a problem+json 403 that names the
 *       property to set. The HTTP side is closed by default, as RESP is with protected mode.</li>
 *   <li>A token configured: the call needs {@code Authorization: Bearer <token>}, else a problem+json
 *       401 with {@code WWW-Authenticate: Bearer}.</li>
 * </ul>
 * The token is compared in constant time.
 */
public final class AdminTokenFilter implements WebFilter {
    private final byte[] expected;
    private final String tokenProperty;

    /**
     * @param token         the admin token; null or empty refuses every mutating call
     * @param tokenProperty the property that sets it, named in the 403 refusal
     */
    public AdminTokenFilter(String token, String tokenProperty) {
        this.expected = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.tokenProperty = tokenProperty;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        boolean mutating = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
        if (!mutating || !exchange.getRequest().getPath().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        if (expected == null) {
            return refuse(exchange, HttpStatus.FORBIDDEN, "state-changing API calls are disabled until an admin token "
                    + "is configured: set " + tokenProperty + " (or its environment variable "
                    + environmentName(tokenProperty) + ") and send 'Authorization: Bearer <token>'");
        }
        String auth = exchange.getRequest().getHeaders().getFirst("Authorization");
        if (auth != null && MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer");
        return refuse(exchange, HttpStatus.UNAUTHORIZED, "a valid admin token is required");
    }

    /** rookery.node.admin-token → ROOKERY_NODE_ADMIN_TOKEN, a form Spring reads for binding and placeholders alike. */
    private static String environmentName(String property) {
        return property.replace('-', '_').replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String detail) {
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + jsonText(detail) + "\",\"instance\":\""
                + jsonText(exchange.getRequest().getPath().value()) + "\"}";
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }

    private static String jsonText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
