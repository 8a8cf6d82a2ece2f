package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams in Redis's RDB format both ways with real redis-server 7.0: a file Rookery writes passes
 * redis-check-rdb and loads in Redis; a file Redis writes loads here; DUMP payloads RESTORE across.
 */
@Tag("interop")
class StreamInteropIT {

    /** XINFO STREAM FULL of both streams, without radix-tree-nodes (the rax's inner node count is Redis's own). */
    private static List<String> state(RawConnection c) throws Exception {
        return StreamPersistenceIT.full(c).stream()
                .map(s -> s.replaceAll("radix-tree-nodes\\], Integer\\[value=\\d+\\]", "radix-tree-nodes]")).toList();
    }

    private static TestNode rookery(Path dir) {
        return TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void ourRdbPassesRedisCheckRdbAndLoadsInRealRedis(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (TestNode node = rookery(dir); RawConnection c = new RawConnection(node.port())) {
            StreamPersistenceIT.populate(c);
            expected = state(c);
            assertThat(c.call("SAVE")).isEqualTo(new RespValue.SimpleString("OK"));
        }
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), dir.resolve("dump.rdb").toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(report).isZero();
        assertThat(report).contains("RDB looks OK");
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--dbfilename", "dump.rdb", "--sanitize-dump-payload", "yes");
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(state(c)).isEqualTo(expected);
        }
    }

    @Test
    void anRdbWrittenByRealRedisLoadsHere(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString()); RawConnection c = new RawConnection(redis.port())) {
            StreamPersistenceIT.populate(c);
            expected = state(c);
            c.call("SAVE");
        }
        try (TestNode node = rookery(dir); RawConnection c = new RawConnection(node.port())) {
            assertThat(state(c)).isEqualTo(expected);
        }
    }

    private static RespValue restore(RawConnection c, String key, RespValue payload) throws Exception {
        c.send(List.of("RESTORE".getBytes(), key.getBytes(), "0".getBytes(), ((RespValue.BulkString) payload).value()));
        return c.readReply();
    }

    @Test
    void dumpPayloadsRestoreBothWays() throws Exception {
        try (TestNode node = TestNode.start(); RealRedis redis = RealRedis.start("--sanitize-dump-payload", "yes");
             RawConnection ours = new RawConnection(node.port()); RawConnection real = new RawConnection(redis.port())) {
            StreamPersistenceIT.populate(real);
            List<String> fromRedis = state(real);
            ours.call("FLUSHALL");
            for (String key : List.of("s", "empty")) {
                RespValue payload = real.call("DUMP", key);
                assertThat(restore(ours, key, payload))
                        .isEqualTo(new RespValue.SimpleString("OK"));
            }
            assertThat(state(ours)).isEqualTo(fromRedis);

            StreamPersistenceIT.populate(ours);
            List<String> fromUs = state(ours);
            real.call("FLUSHALL");
            for (String key : List.of("s", "empty")) {
                RespValue payload = ours.call("DUMP", key);
                assertThat(restore(real, key, payload))
                        .isEqualTo(new RespValue.SimpleString("OK"));
            }
            assertThat(state(real)).isEqualTo(fromUs);
        }
    }

    @Test
    void aReplicaOfRealRedisReplaysApproximateTrimsAndGroupReads() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode node = TestNode.start();
             RawConnection primary = new RawConnection(redis.port()); RawConnection replica = new RawConnection(node.port())) {
            replica.call("REPLICAOF", "127.0.0.1", Integer.toString(redis.port()));
            StreamPersistenceIT.populate(primary);
            // Redis propagates this as XADD ... MAXLEN = <len> LIMIT 30: a replica must ignore the LIMIT
            primary.call("XADD", "s", "MAXLEN", "~", "50", "LIMIT", "30", "*", "f", "v");
            primary.call("SET", "marker", "done");
            long deadline = System.currentTimeMillis() + 20_000;
            while (!new RespValue.BulkString("done".getBytes()).equals(replica.call("GET", "marker"))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the replica did not catch up: " + replica.call("INFO", "replication"));
                }
                Thread.sleep(20);
            }
            assertThat(replica.call("XLEN", "s")).isEqualTo(primary.call("XLEN", "s"));
            assertThat(replica.call("XRANGE", "s", "-", "+")).isEqualTo(primary.call("XRANGE", "s", "-", "+"));
            assertThat(replica.call("XINFO", "GROUPS", "s")).isEqualTo(primary.call("XINFO", "GROUPS", "s"));
        }
    }
}
