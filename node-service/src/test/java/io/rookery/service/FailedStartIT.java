package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.web.ServiceProcess;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that can't start ends its process with a non-zero status instead of lingering, listening on nothing. */
class FailedStartIT {

    @Test
    void aNodeWhoseRespPortIsTakenExitsNonZeroAndLogsNoSecret(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = ServiceProcess.takenPort();
             ServiceProcess node = ServiceProcess.start(RookeryNodeApplication.class, dir.resolve("node.log"),
                     "--rookery.node.bind=127.0.0.1", "--rookery.node.port=" + taken.getLocalPort(),
                     "--server.address=127.0.0.1", "--server.port=0",
                     "--rookery.node.requirepass=Req-S3cret-Value", "--rookery.node.directives.masterauth=Mast3r-S3cret-Value",
                     "--rookery.node.directives.dir=" + dir, "--rookery.node.directives.save=")) {
            int status = node.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; output:%n%s", node.output()).isNotZero();
            assertThat(node.output()).contains("Address already in use")
                    .doesNotContain("Req-S3cret-Value", "Mast3r-S3cret-Value");
        }
    }

    @Test
    void aNodeWithABadConfigFileExitsNonZero(@TempDir Path dir) throws Exception {
        Path conf = java.nio.file.Files.writeString(dir.resolve("redis.conf"), "port 0\nbind 127.0.0.1\nno-such-directive 1\n");
        try (ServiceProcess node = ServiceProcess.start(RookeryNodeApplication.class, dir.resolve("node.log"),
                conf.toString(), "--server.address=127.0.0.1", "--server.port=0")) {
            int status = node.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; output:%n%s", node.output()).isNotZero();
            assertThat(node.output()).contains("no-such-directive");
        }
    }

    @Test
    void aNodeWithABadDirectivePropertyExitsNonZeroNamingIt(@TempDir Path dir) throws Exception {
        try (ServiceProcess node = ServiceProcess.start(RookeryNodeApplication.class, dir.resolve("node.log"),
                "--rookery.node.bind=127.0.0.1", "--rookery.node.port=0", "--rookery.node.directives.maxmemory=lots",
                "--rookery.node.directives.dir=" + dir, "--server.address=127.0.0.1", "--server.port=0")) {
            int status = node.awaitExit(Duration.ofSeconds(90));
            assertThat(status).as("exit status; output:%n%s", node.output()).isNotZero();
            assertThat(node.output()).contains("rookery.node.directives.maxmemory")
                    .doesNotContain("Started RookeryNodeApplication");
        }
    }
}
