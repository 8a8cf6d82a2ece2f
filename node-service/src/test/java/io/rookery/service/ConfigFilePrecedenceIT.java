package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rookery.node.RookeryNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every parameter follows one precedence, lowest first: built-in defaults, the {@code --config} file,
 * explicit properties (command line, environment), CONFIG SET. The service is started as its main
 * starts it, so the packaged application.yml takes part.
 */
class ConfigFilePrecedenceIT {

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path configFile(Path dir, int port) throws IOException {
        return Files.writeString(dir.resolve("redis.conf"),
                "port " + port + "\nbind 127.0.0.1\nhz 17\nmaxmemory 3mb\ndir " + dir + "\nsave \"\"\n");
    }

    private static String ping(int port) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().ping();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void thePortAndParametersOfTheConfigFileApply(@TempDir Path dir) throws Exception {
        int port = unusedPort();
        try (ConfigurableApplicationContext context = RookeryNodeApplication.LAUNCHER.start(
                "--config", configFile(dir, port).toString(), "--server.address=127.0.0.1", "--server.port=0")) {
            RookeryNode node = context.getBean(RookeryNode.class);
            assertThat(node.port()).isEqualTo(port);
            assertThat(ping(port)).isEqualTo("PONG");
            assertThat(node.config().hz).isEqualTo(17);
            assertThat(node.config().maxmemory).isEqualTo(3L * 1024 * 1024);
        }
    }

    @Test
    void explicitPropertiesWinOverTheFileAndConfigSetWinsOverBoth(@TempDir Path dir) throws Exception {
        int filePort = unusedPort();
        int explicitPort = unusedPort();
        try (ConfigurableApplicationContext context = RookeryNodeApplication.LAUNCHER.start(
                "--config", configFile(dir, filePort).toString(), "--rookery.node.port=" + explicitPort,
                "--rookery.node.directives.hz=19", "--server.address=127.0.0.1", "--server.port=0")) {
            RookeryNode node = context.getBean(RookeryNode.class);
            assertThat(node.port()).isEqualTo(explicitPort);
            assertThat(node.config().hz).isEqualTo(19);
            assertThat(node.config().maxmemory).as("the file's other parameters still apply").isEqualTo(3L * 1024 * 1024);
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + explicitPort);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().configSet("hz", "23")).isEqualTo("OK");
                assertThat(c.sync().configGet("hz")).containsEntry("hz", "23");
            } finally {
                client.shutdown();
            }
        }
    }
}
