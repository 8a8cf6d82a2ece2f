package io.rookery.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old SYNC command, as redis-cli --rdb uses it (REPLCONF capa eof, REPLCONF rdb-only 1, SYNC):
 * the RDB payload comes straight away, without the +FULLRESYNC line PSYNC gets, and the connection
 * closes once it is sent. Before, the +FULLRESYNC line made redis-cli hang and corrupt its file.
 */
class LegacySyncIT {

    private static TestNode node(String diskless) {
        return TestNode.start(c -> {
            try {
                c.load("repl-diskless-sync", diskless);
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int run(Path log, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hung: " + String.join(" ", cmd) + "\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    @ParameterizedTest(name = "repl-diskless-sync {0}")
    @ValueSource(strings = {"yes", "no"})
    void redisCliRdbWritesAFileRedisCheckRdbAccepts(String diskless, @TempDir Path dir) throws Exception {
        try (TestNode node = node(diskless); RawConnection raw = new RawConnection(node.port())) {
            raw.call("SET", "string", "value");
            raw.call("RPUSH", "list", "a", "b");
            raw.call("HSET", "hash", "f", "v");
            Path rdb = dir.resolve("backup.rdb");
            Path log = dir.resolve("redis-cli.log");
            int exit = run(log, RealRedis.binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(node.port()),
                    "--rdb", rdb.toString());
            assertThat(exit).as(Files.readString(log)).isZero();
            assertThat(new String(Files.readAllBytes(rdb), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("REDIS");
            Path checkLog = dir.resolve("check.log");
            assertThat(run(checkLog, RealRedis.binary("redis-check-rdb"), rdb.toString())).as(Files.readString(checkLog)).isZero();
            assertThat(Files.readString(checkLog)).contains("\\o/ RDB looks OK! \\o/").contains("[info] 3 keys read");
            assertThat(raw.call("PING")).as("the node still serves").isNotNull();
        }
    }

    @Test
    void syncWithoutCapabilitiesGetsADiskPayloadWithoutFullresyncLine() throws Exception {
        try (TestNode node = node("yes"); java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("SET k v\r\nSYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = s.getInputStream();
            StringBuilder lines = new StringBuilder();
            int newlines = 0;
            while (newlines < 2) { // "+OK" of the SET, then the payload's "$<length>" line
                int b = in.read();
                assertThat(b).as("connection closed after %s", lines).isNotNegative();
                lines.append((char) b);
                if (b == '\n') {
                    newlines++;
                }
            }
            assertThat(lines.toString()).startsWith("+OK\r\n$").doesNotContain("FULLRESYNC").doesNotContain("EOF:");
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("REDIS");
        }
    }
}
