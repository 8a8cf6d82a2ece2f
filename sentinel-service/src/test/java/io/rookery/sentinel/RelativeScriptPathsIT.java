package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script paths are resolved as Redis Sentinel resolves them: relative to {@code dir}, the directory
 * Redis makes its working directory, not the directory the process was started from. Redis's own
 * sentinel tests rely on it ({@code SENTINEL SET mymaster notification-script ../../tests/...}).
 */
class RelativeScriptPathsIT {

    /** A script that appends its arguments to {@code fired.txt} in its working directory. */
    private static Path script(Path dir, String name) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> fired.txt\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Sentinel open(Path conf) throws ConfigException {
        return Sentinel.open(conf, false, c -> {
            try {
                c.load("port", "0");
                c.load("bind", "127.0.0.1");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String awaitFired(Path file) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Files.readString(file);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the notification script never ran (no " + file + " after 20 s)");
    }

    @Test
    void aRelativeNotificationScriptInTheConfigFileRunsFromDir(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        script(data, "notify.sh");
        Path conf = elsewhere.resolve("sentinel.conf");
        Files.write(conf, List.of("dir " + data,
                "sentinel monitor mymaster 127.0.0.1 " + unusedPort() + " 1",
                "sentinel down-after-milliseconds mymaster 500",
                "sentinel notification-script mymaster notify.sh"));
        Sentinel s = open(conf);
        try {
            s.start();
            assertThat(awaitFired(data.resolve("fired.txt"))).contains("+monitor");
            assertThat(Files.readString(conf)).contains("sentinel notification-script mymaster notify.sh");
        } finally {
            s.stop();
        }
    }

    @Test
    void sentinelSetAcceptsAScriptPathRelativeToDir(@TempDir Path dir, @TempDir Path elsewhere) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        script(Files.createDirectory(dir.resolve("scripts")), "reconfig.sh");
        Path conf = elsewhere.resolve("sentinel.conf");
        Files.write(conf, List.of("dir " + data, "sentinel monitor mymaster 127.0.0.1 " + unusedPort() + " 1",
                "sentinel deny-scripts-reconfig no"));
        Sentinel s = open(conf);
        try {
            s.start();
            try (RawConnection c = new RawConnection(s.port())) {
                assertThat(c.call("SENTINEL", "SET", "mymaster", "client-reconfig-script", "../scripts/reconfig.sh"))
                        .isEqualTo(new RespValue.SimpleString("OK"));
                assertThat(c.call("SENTINEL", "SET", "mymaster", "notification-script", "reconfig.sh"))
                        .isEqualTo(new RespValue.Error("ERR Notification script seems non existing or non executable"));
            }
        } finally {
            s.stop();
        }
    }
}
