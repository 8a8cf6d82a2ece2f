package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.NodeJsProgram;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js clients applications use, run by {@code node} as child processes (programs in
 * {@code src/test/resources/clients}): ioredis stream consumers in a group through a consumer's crash
 * and XAUTOCLAIM recovery, and node-redis 5's client-side cache over RESP3 seeing invalidations. Each
 * program runs against real redis-server first, so it is known to pass where Redis does.
 *
 * <p>The clients come from the npm registry into {@code ~/.cache/rookery-js-clients} (see {@link NodeJsProgram}).
 */
class JavaScriptClientsIT {

    @Test
    void ioredisStreamConsumersProcessEveryJobOnceThroughACrashAndXautoclaim(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            Path ledgers = Files.createDirectories(dir.resolve("redis"));
            assertThat(NodeJsProgram.run("stream_consumers_ioredis.js", dir, Integer.toString(redis.port()), ledgers.toString()))
                    .as("the program against real redis-server").isEqualTo("ok 400");
        }
        try (TestNode node = TestNode.start()) {
            Path ledgers = Files.createDirectories(dir.resolve("rookery"));
            assertThat(NodeJsProgram.run("stream_consumers_ioredis.js", dir, Integer.toString(node.port()), ledgers.toString()))
                    .isEqualTo("ok 400");
        }
    }

    @Test
    void nodeRedisClientSideCacheSeesInvalidations(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            assertThat(NodeJsProgram.run("client_side_cache_node_redis.js", dir, Integer.toString(redis.port())))
                    .as("the program against real redis-server").isEqualTo("ok");
        }
        try (TestNode node = TestNode.start()) {
            assertThat(NodeJsProgram.run("client_side_cache_node_redis.js", dir, Integer.toString(node.port()))).isEqualTo("ok");
        }
    }
}
