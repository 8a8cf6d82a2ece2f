package io.rookery.sentinel.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sentinel's HTTP side is closed by default: it listens where its RESP side listens, refuses
 * state-changing calls until an admin token is configured (saying how to configure one), and never
 * shows a secret in REST, metrics or logs. RESP on 127.0.0.2 must leave 127.0.0.1 without an HTTP
 * listener.
 */
@ExtendWith(OutputCaptureExtension.class)
class SentinelClosedHttpSideIT {
    private static final String REQUIREPASS = "Req-S3cret-Value";
    private static final String AUTH_PASS = "Auth-S3cret-Value";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpListensWhereRespListensRefusesMutationWithoutATokenAndMasksSecrets(@TempDir Path dir, CapturedOutput output)
            throws Exception {
        Path conf = Files.write(dir.resolve("sentinel.conf"), List.of("sentinel monitor mymaster 127.0.0.1 6999 2",
                "sentinel auth-pass mymaster " + AUTH_PASS));
        try (ConfigurableApplicationContext context = RookerySentinelApplication.LAUNCHER.start(conf.toString(),
                "--sentinel", "--rookery.sentinel.bind=127.0.0.2", "--rookery.sentinel.port=0",
                "--rookery.sentinel.requirepass=" + REQUIREPASS, "--server.port=0")) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + port + "/api/v1/masters/mymaster/failover"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("\"status\":403", "rookery.sentinel.admin-token");

            for (String path : List.of("/api/v1/masters", "/api/v1/masters/mymaster", "/actuator/prometheus",
                    "/actuator/health", "/actuator/info", "/actuator/metrics", "/v3/api-docs")) {
                HttpResponse<String> r = get(port, path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContain(REQUIREPASS, AUTH_PASS);
            }
        }
        assertThat(output.getAll()).contains("Sentinel ID is").doesNotContain(REQUIREPASS, AUTH_PASS);
    }
}
