package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rookery.web.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's RESP side serves before its HTTP side is up: started the way users start it ({@code main}
 * in its own process), with the application context held back by {@code HttpSideGate}, a client
 * reaches RESP, writes and reads, while the HTTP port is not yet listening and Spring has not reported
 * the start; once the context may go on, the readiness probe answers, and SIGTERM stops the node as
 * before.
 */
class RespBeforeHttpIT {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void respAnswersAndServesDataWhileTheHttpSideIsHeldBack(@TempDir Path dir) throws Exception {
        int resp = freePort();
        int http = freePort();
        Path gate = dir.resolve("gate");
        try (ServiceProcess node = ServiceProcess.start(RookeryNodeApplication.class, dir.resolve("node.log"),
                "--rookery.node.bind=127.0.0.1", "--rookery.node.port=" + resp,
                "--server.address=127.0.0.1", "--server.port=" + http,
                "--rookery.node.directives.dir=" + dir, "--rookery.node.directives.save=",
                "--spring.main.sources=io.rookery.testing.HttpSideGate", "--rookery.test.http-gate=" + gate)) {
            awaitCondition(() -> answersPing(resp), "RESP answering PING", node);

            RedisClient client = RedisClient.create("redis://127.0.0.1:" + resp);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                RedisCommands<String, String> redis = c.sync();
                assertThat(redis.set("greeting", "hello")).isEqualTo("OK");
                assertThat(redis.get("greeting")).isEqualTo("hello");
                assertThat(redis.dbsize()).isEqualTo(1L);
            } finally {
                client.shutdown();
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", http).close()).isInstanceOf(ConnectException.class);
            assertThat(node.output()).contains("ready to accept connections on port " + resp)
                    .doesNotContain("Started RookeryNodeApplication");

            Files.createFile(gate);
            awaitCondition(() -> ready(http), "the readiness probe answering 200", node);
            assertThat(node.output()).contains("Started RookeryNodeApplication");
            assertThat(answersPing(resp)).isTrue();

            node.terminate();
            node.awaitExit(BOUND);
            assertThat(node.output()).contains("Rookery node stopped");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = ServiceProcess.takenPort()) {
            return s.getLocalPort();
        }
    }

    private static boolean answersPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitCondition(BooleanSupplier condition, String what, ServiceProcess node) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + BOUND.toSeconds() + " s; output:\n" + node.output());
            }
            Thread.sleep(50);
        }
    }
}
