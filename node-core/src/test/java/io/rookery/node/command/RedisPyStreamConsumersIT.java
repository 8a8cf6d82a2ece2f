package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisPy;
import io.rookery.node.support.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redis-py stream consumers in a group, as applications run them: one producer, two consumers, one of
 * which dies holding a batch it read, and XAUTOCLAIM recovery by the other. Every job is processed
 * exactly once and nothing stays pending (the program, in {@code clients/stream_consumers.py}, asserts
 * it). The same program runs against real redis-server first, so it is known to pass where Redis does.
 */
class RedisPyStreamConsumersIT {

    private static String run(int port, Path dir) throws IOException, InterruptedException {
        Path program = dir.resolve("stream_consumers.py");
        try (InputStream in = RedisPyStreamConsumersIT.class.getResourceAsStream("/clients/stream_consumers.py")) {
            Files.write(program, in.readAllBytes());
        }
        Path scratch = Files.createDirectories(dir.resolve("ledgers-" + port));
        return RedisPy.run(180, program.toString(), Integer.toString(port), scratch.toString());
    }

    @Test
    void everyJobIsProcessedOnceThroughACrashAndXautoclaim(@TempDir Path dir) throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            assertThat(run(redis.port(), dir)).as("the program against real redis-server").isEqualTo("ok 400");
        }
        try (TestNode node = TestNode.start()) {
            assertThat(run(node.port(), dir)).isEqualTo("ok 400");
        }
    }
}
