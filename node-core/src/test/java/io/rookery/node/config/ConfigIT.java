package io.rookery.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redis.conf-style file, CONFIG SET and CONFIG REWRITE feeding one model. */
class ConfigIT {

    @Test
    void aRedisConfFileConfiguresTheNode(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, """
                # a comment
                bind 127.0.0.1
                port 0
                maxmemory 10mb
                maxmemory-policy allkeys-lru
                requirepass "pass word"
                save 900 1
                save 300 10
                client-output-buffer-limit pubsub 1mb 512kb 30
                """);
        NodeConfig config = new NodeConfig();
        ConfigFile.load(config, conf);
        assertThat(config.maxmemory).isEqualTo(10L * 1024 * 1024);
        assertThat(config.maxmemoryPolicy).isEqualTo(NodeConfig.EvictionPolicy.ALLKEYS_LRU);
        assertThat(config.requirepass).isEqualTo("pass word");
        assertThat(config.save).isEqualTo("900 1 300 10");
        assertThat(config.outputLimitPubsub).isEqualTo(new OutputBufferLimit(1024 * 1024, 512 * 1024, 30));
    }

    @Test
    void badDirectivesFailStartUpWithTheLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "port 6379\nnosuchdirective yes\n");
        assertThatThrownBy(() -> ConfigFile.load(new NodeConfig(), conf))
                .hasMessageContaining("at line 2")
                .hasMessageContaining("'nosuchdirective yes'")
                .hasMessageContaining("Bad directive or wrong number of arguments");
        Files.writeString(conf, "maxmemory lots\n");
        assertThatThrownBy(() -> ConfigFile.load(new NodeConfig(), conf)).hasMessageContaining("argument must be a memory value");
    }

    @Test
    void configSetIsAllOrNothing() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "SET", "maxmemory", "5mb", "hz", "20")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(node.node().parts().config().hz).isEqualTo(20);
            RespValue failed = raw.call("CONFIG", "SET", "maxmemory", "7mb", "maxmemory-policy", "bogus");
            assertThat(failed).isInstanceOf(RespValue.Error.class);
            assertThat(node.node().parts().config().maxmemory).as("the first change was rolled back").isEqualTo(5L * 1024 * 1024);
        }
    }

    @Test
    void protoMaxBulkLenAppliesToTheDecoderAtOnce() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            raw.call("CONFIG", "SET", "proto-max-bulk-len", "1mb");
            raw.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n".getBytes());
            assertThat(raw.readReply()).isEqualTo(new RespValue.Error("ERR Protocol error: invalid bulk length"));
        }
    }

    @Test
    void configRewriteWritesChangesBack(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "# mine\nbind 127.0.0.1\nport 0\nhz 10\n");
        NodeConfig config = new NodeConfig();
        ConfigFile.load(config, conf);
        config.load("save", "");
        io.rookery.node.RookeryNode node = new io.rookery.node.RookeryNode(config);
        int port = node.start();
        try (RawConnection raw = new RawConnection(port)) {
            raw.call("CONFIG", "SET", "hz", "25", "maxmemory", "1gb");
            assertThat(raw.call("CONFIG", "REWRITE")).isEqualTo(new RespValue.SimpleString("OK"));
        } finally {
            node.stop();
        }
        String written = Files.readString(conf);
        assertThat(written).contains("# mine", "hz 25", "maxmemory 1073741824");
        NodeConfig reloaded = new NodeConfig();
        ConfigFile.load(reloaded, conf);
        assertThat(reloaded.hz).isEqualTo(25);
        assertThat(reloaded.maxmemory).isEqualTo(1L << 30);
    }

    @Test
    void configRewriteWithoutAFileIsRefused() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "REWRITE")).isEqualTo(new RespValue.Error("ERR The server is running without a config file"));
        }
    }
}
