package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.config.ConfigException;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RDB snapshots in Redis's format: files both ways with real Redis, restarts, BGSAVE consistency. */
@Tag("interop")
class RdbPersistenceIT {

    private static Consumer<NodeConfig> in(Path dir, String save) {
        return c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", save);
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Every type, compact and large, some with expiries, over two databases. */
    private static void populate(RawConnection c) throws Exception {
        c.call("FLUSHALL");
        c.call("SET", "string", "hello");
        c.call("SET", "int", "12345");
        c.call("SET", "long", "x".repeat(5000));
        c.call("SET", "volatile", "v", "EX", "10000");
        c.call("RPUSH", "list", "a", "b", "c");
        c.call("HSET", "hash", "f1", "v1", "f2", "v2");
        c.call("SADD", "intset", "1", "2", "3");
        c.call("SADD", "set", "a", "b");
        c.call("ZADD", "zset", "1.5", "a", "-2", "b", "inf", "c");
        for (int i = 0; i < 600; i++) {
            c.call("RPUSH", "biglist", "e" + i);
            c.call("HSET", "bighash", "f" + i, "v" + i);
            c.call("ZADD", "bigzset", Integer.toString(i), "m" + i);
            c.call("SADD", "bigset", "s" + i);
        }
        c.call("SELECT", "3");
        c.call("SET", "in-db3", "yes");
        c.call("SELECT", "0");
    }

    @Test
    void ourFilePassesRedisCheckRdbAndLoadsInRealRedis(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (TestNode node = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(node.port())) {
            populate(c);
            expected = io.rookery.node.support.KeyDump.all(c, 0, 3);
            assertThat(c.call("SAVE")).isEqualTo(new RespValue.SimpleString("OK"));
        }
        Path rdb = dir.resolve("dump.rdb");
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), rdb.toString()).redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(report).isZero();
        assertThat(report).contains("RDB looks OK");
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--dbfilename", "dump.rdb");
             RawConnection c = new RawConnection(redis.port())) {
            assertThat(io.rookery.node.support.KeyDump.all(c, 0, 3)).isEqualTo(expected);
        }
    }

    @Test
    void aFileWrittenByRealRedisLoadsHere(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString()); RawConnection c = new RawConnection(redis.port())) {
            populate(c);
            expected = io.rookery.node.support.KeyDump.all(c, 0, 3);
            c.call("SAVE");
        }
        try (TestNode node = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(node.port())) {
            assertThat(io.rookery.node.support.KeyDump.all(c, 0, 3)).isEqualTo(expected);
        }
    }

    @Test
    void bgsaveIsPointInTimeWhileWritesGoOn(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(node.port())) {
            StringBuilder load = new StringBuilder();
            for (int i = 0; i < 50_000; i++) {
                load.append("SET key:").append(i).append(" old\r\n");
            }
            c.sendRaw(load.toString().getBytes());
            for (int i = 0; i < 50_000; i++) {
                c.readReply();
            }
            assertThat(c.call("BGSAVE")).isEqualTo(new RespValue.SimpleString("Background saving started"));
            StringBuilder churn = new StringBuilder();
            for (int i = 0; i < 50_000; i += 2) {
                churn.append("SET key:").append(i).append(" new\r\n");
                churn.append("DEL key:").append(i + 1).append("\r\n");
                churn.append("SET added:").append(i).append(" x\r\n");
            }
            c.sendRaw(churn.toString().getBytes());
            for (int i = 0; i < 75_000; i++) {
                c.readReply();
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (info(c).contains("rdb_bgsave_in_progress:1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(info(c)).contains("rdb_bgsave_in_progress:0", "rdb_last_bgsave_status:ok");
        }
        try (TestNode node = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(new RespValue.Integer(50_000));
            for (int i = 0; i < 50_000; i += 997) {
                assertThat(c.call("GET", "key:" + i)).as("key:" + i).isEqualTo(new RespValue.BulkString("old".getBytes()));
            }
            assertThat(c.call("EXISTS", "added:0")).isEqualTo(new RespValue.Integer(0));
        }
    }

    private static String info(RawConnection c) throws Exception {
        return ((RespValue.BulkString) c.call("INFO", "persistence")).text();
    }

    @Test
    void saveRulesTriggerABackgroundSave(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(in(dir, "1 3")); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            c.call("SET", "c", "3");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!info(c).contains("rdb_changes_since_last_save:0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(info(c)).contains("rdb_changes_since_last_save:0", "rdb_saves:1");
            assertThat(Files.exists(dir.resolve("dump.rdb"))).isTrue();
            long lastsave = ((RespValue.Integer) c.call("LASTSAVE")).value();
            assertThat(lastsave).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        }
    }

    @Test
    void corruptOrTruncatedFilesStopStartUp(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(node.port())) {
            populate(c);
            c.call("SAVE");
        }
        Path rdb = dir.resolve("dump.rdb");
        byte[] good = Files.readAllBytes(rdb);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        Files.write(rdb, flipped);
        assertThatThrownBy(() -> TestNode.start(in(dir, ""))).hasMessageContaining("Fatal error loading the DB");
        Files.write(rdb, java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> TestNode.start(in(dir, ""))).hasMessageContaining("Fatal error loading the DB");
        Files.write(rdb, good);
        try (TestNode node = TestNode.start(in(dir, ""))) {
            assertThat(node.node().parts().keyspace().keyCount()).isGreaterThan(10);
        }
    }

    @Test
    void aFailedBackgroundSaveStopsWritesWithMisconfUntilASaveSucceeds(@TempDir Path base) throws Exception {
        Path dir = Files.createDirectory(base.resolve("data"));
        try (TestNode node = TestNode.start(in(dir, "3600 1")); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "a", "1");
            Files.delete(dir); // the data directory disappears under the node
            c.call("BGSAVE");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!info(c).contains("rdb_last_bgsave_status:err") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(info(c)).contains("rdb_last_bgsave_status:err");
            assertThat(c.call("SET", "b", "2")).isEqualTo(new RespValue.Error(MisconfGuard.MISCONF));
            assertThat(c.call("GET", "a")).isEqualTo(new RespValue.BulkString("1".getBytes()));
            Files.createDirectory(dir);
            assertThat(c.call("SAVE")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(c.call("SET", "b", "2")).isEqualTo(new RespValue.SimpleString("OK"));
        }
    }

    @Test
    void stoppingTheNodeSavesWhenSavePointsAreSet(@TempDir Path dir) throws Exception {
        // the service's lifecycle stop (what SIGTERM triggers) calls RookeryNode.stop()
        try (TestNode node = TestNode.start(in(dir, "3600 1")); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "on-sigterm", "saved");
        }
        try (TestNode again = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(again.port())) {
            assertThat(c.call("GET", "on-sigterm")).isEqualTo(new RespValue.BulkString("saved".getBytes()));
        }
    }

    @Test
    void shutdownSavesWhenSavePointsAreSet(@TempDir Path dir) throws Exception {
        TestNode node = TestNode.start(in(dir, "3600 1"));
        try (RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "kept", "across restarts");
            c.send(List.of("SHUTDOWN".getBytes()));
            c.readReplyBytes();
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while (node.node().running() && System.currentTimeMillis() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        try (TestNode again = TestNode.start(in(dir, "")); RawConnection c = new RawConnection(again.port())) {
            assertThat(c.call("GET", "kept")).isEqualTo(new RespValue.BulkString("across restarts".getBytes()));
        }
    }
}
