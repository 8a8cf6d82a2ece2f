package io.rookery.sentinel.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.web.ServiceProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sentinel that can't start ends its process with a non-zero status instead of lingering, listening on nothing. */
class SentinelFailedStartIT {

    @Test
    void aSentinelWhoseRespPortIsTakenExitsNonZeroAndLogsNoSecret(@TempDir Path dir) throws Exception {
        Path conf = Files.write(dir.resolve("sentinel.conf"), List.of("sentinel monitor mymaster 127.0.0.1 6999 2",
                "sentinel auth-pass mymaster Auth-S3cret-Value"));
        try (ServerSocket taken = ServiceProcess.takenPort();
             ServiceProcess sentinel = ServiceProcess.start(RookerySentinelApplication.class, dir.resolve("sentinel.log"),
                     conf.toString(), "--sentinel", "--rookery.sentinel.bind=127.0.0.1",
                     "--rookery.sentinel.port=" + taken.getLocalPort(), "--rookery.sentinel.requirepass=Req-S3cret-Value",
                     "--server.address=127.0.0.1", "--server.port=0")) {
            int status = sentinel.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; output:%n%s", sentinel.output()).isNotZero();
            assertThat(sentinel.output()).contains("Address already in use")
                    .doesNotContain("Req-S3cret-Value", "Auth-S3cret-Value");
        }
    }
}
