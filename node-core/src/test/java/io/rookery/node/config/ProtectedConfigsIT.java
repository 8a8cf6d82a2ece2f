package io.rookery.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * enable-protected-configs: by default a client cannot point dir/dbfilename elsewhere and make SAVE
 * write a file anywhere (defect 6 of issue 9); the switch itself is start-up only.
 */
class ProtectedConfigsIT {
    private static final RespValue OK = new RespValue.SimpleString("OK");

    private static TestNode node(String protectedConfigs, Path dir) {
        return TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                if (protectedConfigs != null) {
                    c.load("enable-protected-configs", protectedConfigs);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void byDefaultConfigSetDirAndDbfilenameAreRefusedAndSaveWritesNothingElsewhere(@TempDir Path dir) throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path data = Files.createDirectory(dir.resolve("data"));
        try (TestNode node = node(null, data); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "SET", "dir", elsewhere.toString())).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"));
            assertThat(raw.call("CONFIG", "SET", "dbfilename", "authorized_keys")).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"));
            raw.call("SET", "k", "v");
            assertThat(raw.call("SAVE")).isEqualTo(OK);
            assertThat(elsewhere.resolve("authorized_keys")).doesNotExist();
            assertThat(elsewhere.resolve("dump.rdb")).doesNotExist();
            assertThat(data.resolve("dump.rdb")).exists();
            assertThat(raw.call("CONFIG", "GET", "dir")).isEqualTo(new RespValue.Array(java.util.List.of(
                    new RespValue.BulkString("dir".getBytes()), new RespValue.BulkString(data.toRealPath().toString().getBytes()))));
        }
    }

    @Test
    void theRefusalReadsAsRealRedisSays(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start(); RawConnection real = new RawConnection(redis.port());
             TestNode node = node(null, dir); RawConnection ours = new RawConnection(node.port())) {
            for (String[] set : new String[][]{{"dir", dir.toString()}, {"dbfilename", "x.rdb"},
                    {"enable-protected-configs", "yes"}, {"enable-debug-command", "yes"}, {"enable-module-command", "yes"}}) {
                assertThat(ours.call("CONFIG", "SET", set[0], set[1])).as(set[0])
                        .isEqualTo(real.call("CONFIG", "SET", set[0], set[1]));
            }
        }
    }

    @Test
    void yesAllowsChangingDirAndDbfilename(@TempDir Path dir) throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        try (TestNode node = node("yes", dir); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "SET", "dir", other.toString(), "dbfilename", "x.rdb")).isEqualTo(OK);
            raw.call("SET", "k", "v");
            assertThat(raw.call("SAVE")).isEqualTo(OK);
            assertThat(other.resolve("x.rdb")).exists();
        }
    }

    @Test
    void localAllowsLoopbackClients(@TempDir Path dir) throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        try (TestNode node = node("local", dir); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "SET", "dir", other.toString())).isEqualTo(OK);
        }
    }

    @Test
    void localRefusesOtherClients() {
        assertThat(ProtectedAction.LOCAL.allows(false)).isFalse();
        assertThat(ProtectedAction.LOCAL.allows(true)).isTrue();
        assertThat(ProtectedAction.NO.allows(true)).isFalse();
        assertThat(ProtectedAction.YES.allows(false)).isTrue();
    }

    @Test
    void theSwitchesAcceptOnlyNoYesLocal() {
        NodeConfig config = new NodeConfig();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.load("enable-debug-command", "maybe"))
                .hasMessage("argument(s) must be one of the following: no, yes, local");
    }
}
