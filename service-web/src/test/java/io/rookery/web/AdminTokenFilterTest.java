package io.rookery.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class AdminTokenFilterTest {

    /** Runs the filter; true when the call reached the handler. */
    private static boolean passes(AdminTokenFilter filter, MockServerWebExchange exchange) {
        AtomicBoolean reached = new AtomicBoolean();
        filter.filter(exchange, e -> {
            reached.set(true);
            return Mono.empty();
        }).block();
        return reached.get();
    }

    @Test
    void withoutATokenMutatingCallsAreRefusedWithA403ThatSaysHowToEnableThem() {
        AdminTokenFilter filter = new AdminTokenFilter(null, "rookery.node.admin-token");
        MockServerWebExchange post = MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/persistence/save"));
        assertThat(passes(filter, post)).isFalse();
        assertThat(post.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(post.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(post.getResponse().getBodyAsString().block())
                .contains("\"status\":403", "set rookery.node.admin-token", "ROOKERY_NODE_ADMIN_TOKEN");
        assertThat(passes(filter, MockServerWebExchange.from(MockServerHttpRequest.delete("/api/v1/x")))).isFalse();
    }

    @Test
    void readsAndCallsOutsideTheApiPassWithoutAToken() {
        AdminTokenFilter filter = new AdminTokenFilter("", "rookery.node.admin-token");
        assertThat(passes(filter, MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/config")))).isTrue();
        assertThat(passes(filter, MockServerWebExchange.from(MockServerHttpRequest.post("/actuator/refresh")))).isTrue();
    }

    @Test
    void withATokenMutatingCallsNeedTheBearerToken() {
        AdminTokenFilter filter = new AdminTokenFilter("let-me-in", "rookery.node.admin-token");
        MockServerWebExchange none = MockServerWebExchange.from(MockServerHttpRequest.put("/api/v1/persistence/policy"));
        assertThat(passes(filter, none)).isFalse();
        assertThat(none.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(none.getResponse().getHeaders().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(passes(filter, MockServerWebExchange.from(MockServerHttpRequest.put("/api/v1/persistence/policy")
                .header("Authorization", "Bearer wrong")))).isFalse();
        assertThat(passes(filter, MockServerWebExchange.from(MockServerHttpRequest.put("/api/v1/persistence/policy")
                .header("Authorization", "Bearer let-me-in")))).isTrue();
    }
}
