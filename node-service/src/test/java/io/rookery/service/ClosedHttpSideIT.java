package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP side is closed by default: it listens where RESP listens, refuses state-changing calls
 * until an admin token is configured (saying how to configure one), and never shows a secret, in
 * REST, metrics or logs. Loopback addresses stand in for interfaces: RESP on 127.0.0.2 must leave
 * 127.0.0.1 without an HTTP listener.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClosedHttpSideIT {
    private static final String REQUIREPASS = "Req-S3cret-Value";
    private static final String MASTERAUTH = "Mast3r-S3cret-Value";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ConfigurableApplicationContext start(Path dir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--rookery.node.bind=127.0.0.2", "--rookery.node.port=0",
                "--server.port=0", "--rookery.node.requirepass=" + REQUIREPASS,
                "--rookery.node.directives.masterauth=" + MASTERAUTH,
                "--rookery.node.directives.dir=" + dir, "--rookery.node.directives.save="));
        args.addAll(List.of(more));
        return RookeryNodeApplication.LAUNCHER.start(args.toArray(String[]::new));
    }

    private static int httpPort(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static HttpResponse<String> get(String host, int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpListensWhereRespListensRefusesMutationWithoutATokenAndMasksSecrets(@TempDir Path dir, CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext context = start(dir)) {
            int port = httpPort(context);
            assertThat(get("127.0.0.2", port, "/actuator/health").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + port + "/api/v1/persistence/save"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("\"status\":403", "rookery.node.admin-token", "ROOKERY_NODE_ADMIN_TOKEN",
                    "Authorization: Bearer");

            assertThat(get("127.0.0.2", port, "/api/v1/config").body())
                    .contains("\"masterauth\":\"******\"", "\"requirepass\":\"******\"");
            for (String path : List.of("/api/v1/config", "/api/v1/node", "/api/v1/replication", "/api/v1/persistence",
                    "/actuator/prometheus", "/actuator/health", "/actuator/info", "/actuator/metrics", "/v3/api-docs")) {
                HttpResponse<String> r = get("127.0.0.2", port, path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContain(REQUIREPASS, MASTERAUTH);
            }
        }
        assertThat(output.getAll()).contains("ready to accept connections").doesNotContain(REQUIREPASS, MASTERAUTH);
    }

    @Test
    void anExplicitServerAddressWins(@TempDir Path dir) throws Exception {
        try (ConfigurableApplicationContext context = start(dir, "--server.address=127.0.0.1")) {
            int port = httpPort(context);
            assertThat(get("127.0.0.1", port, "/actuator/health").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
        }
    }
}
