package io.rookery.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RookeryNodeApplicationTest {

    @Test
    void redisStyleArgumentsBecomeProperties() {
        assertThat(RookeryNodeApplication.LAUNCHER.arguments().translate(new String[]{"--config", "/etc/r.conf", "--server.port=1"}))
                .containsExactly("--rookery.node.config-file=/etc/r.conf", "--server.port=1");
        assertThat(RookeryNodeApplication.LAUNCHER.arguments().translate(new String[]{"/etc/redis.conf"}))
                .containsExactly("--rookery.node.config-file=/etc/redis.conf");
        assertThat(RookeryNodeApplication.LAUNCHER.arguments().translate(new String[]{"--config=x.conf"}))
                .containsExactly("--rookery.node.config-file=x.conf");
    }

    @Test
    void propertiesOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "port 7000\nmaxmemory 1mb\nhz 15\n");
        NodeProperties p = new NodeProperties(conf.toString(), 7001, "127.0.0.1", "pw", false,
                Map.of("maxmemory", "2mb"));
        NodeConfig c = NodeLifecycle.buildConfig(p);
        assertThat(c.port).isEqualTo(7001);
        assertThat(c.maxmemory).isEqualTo(2L * 1024 * 1024);
        assertThat(c.hz).isEqualTo(15);
        assertThat(c.requirepass).isEqualTo("pw");
        assertThat(c.protectedMode).isFalse();
    }
}
