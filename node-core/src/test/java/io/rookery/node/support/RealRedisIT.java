package io.rookery.node.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The interop tests' real redis-server is handed out only once it serves commands: Redis accepts
 * connections while it loads its dump and answers {@code -LOADING} until it is done, so a test that
 * talks to it as soon as the port accepts races the load.
 */
@Tag("interop")
class RealRedisIT {
    @Test
    void aStartedRedisHasLoadedItsDataBeforeTheFirstCommand() throws Exception {
        Path dir;
        try (RealRedis writer = RealRedis.start("--enable-debug-command", "yes");
             RawConnection c = new RawConnection(writer.port())) {
            assertThat(c.call("DEBUG", "POPULATE", "20000")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(c.call("SAVE")).isEqualTo(new RespValue.SimpleString("OK"));
            dir = writer.dir();
        }
        // 100 µs per key: the load takes about two seconds, long after the port starts accepting
        try (RealRedis reader = RealRedis.start("--dir", dir.toString(), "--key-load-delay", "100");
             RawConnection c = new RawConnection(reader.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(new RespValue.Integer(20000));
        }
    }
}
