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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-part AOF in Redis 7.0's layout: restarts, interop with real Redis both ways, rewrites, damage. */
@Tag("interop")
class AofPersistenceIT {

    private static Consumer<NodeConfig> aof(Path dir, String... more) {
        return c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
                for (int i = 0; i < more.length; i += 2) {
                    c.load(more[i], more[i + 1]);
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Writes whose replay needs care: relative expiries, floats, random pops, transactions, databases. */
    private static void workload(RawConnection c) throws Exception {
        c.call("SET", "plain", "v");
        c.call("SET", "ttl", "v", "EX", "10000");
        c.call("SETEX", "ttl2", "10000", "v");
        c.call("INCRBYFLOAT", "float", "5.6");
        c.call("INCRBYFLOAT", "float", "5000");
        c.call("HSET", "h", "a", "1", "b", "2");
        c.call("HINCRBYFLOAT", "h", "a", "0.5");
        c.call("SADD", "s", "1", "2", "3", "4", "5");
        c.call("SPOP", "s");
        c.call("SPOP", "s", "2");
        c.call("RPUSH", "l", "a", "b", "c", "d");
        c.call("LPOP", "l");
        c.call("LMOVE", "l", "l2", "RIGHT", "LEFT");
        c.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        c.call("ZPOPMIN", "z");
        c.call("EXPIRE", "plain", "10000");
        c.call("PERSIST", "plain");
        c.call("MULTI");
        c.call("SET", "tx1", "1");
        c.call("INCR", "tx2");
        c.call("EXEC");
        c.call("SELECT", "4");
        c.call("SET", "in-db4", "x");
        c.call("SELECT", "0");
        c.call("SET", "gone", "x");
        c.call("DEL", "gone");
        c.call("SET", "short", "x", "PX", "1");
        Thread.sleep(20);
        c.call("GET", "short"); // lazily expired: propagated as DEL
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("appendonlydir"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesSurviveARestartThroughTheAof(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            workload(c);
            expected = io.rookery.node.support.KeyDump.all(c, 0, 4);
        }
        assertThat(files(dir)).contains("appendonly.aof.manifest", "appendonly.aof.1.base.rdb", "appendonly.aof.2.incr.aof");
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            assertThat(io.rookery.node.support.KeyDump.all(c, 0, 4)).isEqualTo(expected);
            assertThat(((RespValue.BulkString) c.call("INFO", "persistence")).text()).contains("aof_enabled:1");
        }
    }

    @Test
    void realRedisLoadsOurAofDirectoryAndRedisCheckAofAcceptsIt(@TempDir Path dir) throws Exception {
        for (String preamble : new String[]{"yes", "no"}) {
            Path d = Files.createDirectory(dir.resolve("preamble-" + preamble));
            List<String> expected;
            try (TestNode node = TestNode.start(aof(d, "aof-use-rdb-preamble", preamble));
                 RawConnection c = new RawConnection(node.port())) {
                workload(c);
                c.call("BGREWRITEAOF");
                waitFor(c, "aof_rewrite_in_progress:0");
                c.call("SET", "after-rewrite", "y");
                expected = io.rookery.node.support.KeyDump.all(c, 0, 4);
            }
            Path manifest = d.resolve("appendonlydir").resolve("appendonly.aof.manifest");
            Process check = new ProcessBuilder(RealRedis.binary("redis-check-aof"), manifest.toString())
                    .redirectErrorStream(true).start();
            String report = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as(report).isZero();
            assertThat(report).contains("is valid");
            try (RealRedis redis = RealRedis.start("--dir", d.toString(), "--appendonly", "yes");
                 RawConnection c = new RawConnection(redis.port())) {
                assertThat(io.rookery.node.support.KeyDump.all(c, 0, 4)).as("preamble " + preamble).isEqualTo(expected);
            }
        }
    }

    @Test
    void weLoadRealRedisAofDirectory(@TempDir Path dir) throws Exception {
        List<String> expected;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
             RawConnection c = new RawConnection(redis.port())) {
            workload(c);
            expected = io.rookery.node.support.KeyDump.all(c, 0, 4);
        }
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            assertThat(io.rookery.node.support.KeyDump.all(c, 0, 4)).isEqualTo(expected);
        }
    }

    @Test
    void writesDuringARewriteAreKept(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            StringBuilder load = new StringBuilder();
            for (int i = 0; i < 30_000; i++) {
                load.append("SET k:").append(i).append(" v\r\n");
            }
            c.sendRaw(load.toString().getBytes());
            for (int i = 0; i < 30_000; i++) {
                c.readReply();
            }
            c.call("BGREWRITEAOF");
            for (int i = 0; i < 30_000; i += 3) {
                c.call("SET", "k:" + i, "changed");
                c.call("SET", "during:" + i, "x");
            }
            waitFor(c, "aof_rewrite_in_progress:0");
            assertThat(((RespValue.BulkString) c.call("INFO", "persistence")).text()).contains("aof_last_bgrewrite_status:ok");
        }
        assertThat(files(dir)).contains("appendonly.aof.2.base.rdb").doesNotContain("appendonly.aof.1.base.rdb");
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(new RespValue.Integer(40_000));
            assertThat(c.call("GET", "k:300")).isEqualTo(new RespValue.BulkString("changed".getBytes()));
            assertThat(c.call("GET", "k:301")).isEqualTo(new RespValue.BulkString("v".getBytes()));
        }
    }

    @Test
    void aTruncatedTailLoadsOnlyWhenAllowed(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
        }
        Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.2.incr.aof");
        byte[] full = Files.readAllBytes(incr);
        Files.write(incr, java.util.Arrays.copyOf(full, full.length - 7));
        assertThatThrownBy(() -> TestNode.start(aof(dir, "aof-load-truncated", "no")))
                .hasMessageContaining("Unexpected end of file reading the append only file");
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(new RespValue.Integer(99));
            assertThat(c.call("GET", "k98")).isEqualTo(new RespValue.BulkString("v98".getBytes()));
        }
        byte[] damaged = Files.readAllBytes(incr);
        int at = damaged.length / 2;
        while (damaged[at] != '$') {
            at++; // a length prefix: corrupting it breaks the framing, not just a value
        }
        damaged[at] = '%';
        Files.write(incr, damaged);
        assertThatThrownBy(() -> TestNode.start(aof(dir))).hasMessageContaining("append only file");
    }

    @Test
    void configSetAppendonlyYesCreatesTheAofFromCurrentData(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "before", "1");
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(new RespValue.SimpleString("OK"));
            waitFor(c, "aof_rewrite_in_progress:0");
            c.call("SET", "after", "2");
        }
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("MGET", "before", "after").toString()).contains("1", "2");
        }
    }

    @Test
    void theAofIsRewrittenAutomaticallyWhenItGrows(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(aof(dir, "auto-aof-rewrite-min-size", "1mb", "auto-aof-rewrite-percentage", "100"));
             RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 3000; i++) {
                c.call("SET", "k" + (i % 50), "x".repeat(1000)); // grows the AOF, not the data
            }
            // the initial rewrite, then one or more automatic ones: how many depends on how far the
            // writes got while each rewrite ran (the new base size is taken when it finishes)
            long deadline = System.currentTimeMillis() + 10_000;
            String info = ((RespValue.BulkString) c.call("INFO", "persistence")).text();
            while (!(rewrites(info) >= 2 && info.contains("aof_rewrite_in_progress:0"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                info = ((RespValue.BulkString) c.call("INFO", "persistence")).text();
            }
            assertThat(rewrites(info)).as("aof_rewrites").isGreaterThanOrEqualTo(2);
            long size = Long.parseLong(info.replaceAll("(?s).*aof_current_size:(\\d+).*", "$1"));
            assertThat(size).as("3000 writes of 1 KB were compacted by rewriting").isLessThan(2_500_000);
        }
    }

    @Test
    void oneSnapshotRunsAtATimeAndTheOtherIsScheduled(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(aof(dir)); RawConnection c = new RawConnection(node.port())) {
            StringBuilder load = new StringBuilder();
            for (int i = 0; i < 200_000; i++) {
                load.append("SET key:").append(i).append(" ").append("x".repeat(50)).append("\r\n");
            }
            c.sendRaw(load.toString().getBytes());
            for (int i = 0; i < 200_000; i++) {
                c.readReply();
            }
            waitFor(c, "aof_rewrite_in_progress:0");
            assertThat(c.call("BGSAVE")).isEqualTo(new RespValue.SimpleString("Background saving started"));
            assertThat(c.call("BGREWRITEAOF")).isEqualTo(new RespValue.SimpleString("Background append only file rewriting scheduled"));
            waitFor(c, "aof_rewrite_in_progress:0");
            String info = ((RespValue.BulkString) c.call("INFO", "persistence")).text();
            assertThat(info).contains("rdb_last_bgsave_status:ok", "aof_last_bgrewrite_status:ok", "aof_rewrites:2");
            assertThat(c.call("BGREWRITEAOF")).isEqualTo(new RespValue.SimpleString("Background append only file rewriting started"));
            RespValue during = c.call("BGSAVE");
            if (during instanceof RespValue.Error e) {
                assertThat(e.message()).startsWith("ERR An AOF log rewriting in progress");
                assertThat(c.call("BGSAVE", "SCHEDULE")).isEqualTo(new RespValue.SimpleString("Background saving scheduled"));
            }
            waitFor(c, "aof_rewrite_in_progress:0");
        }
    }

    private static long rewrites(String info) {
        return Long.parseLong(info.replaceAll("(?s).*aof_rewrites:(\\d+).*", "$1"));
    }

    private static void waitFor(RawConnection c, String field) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            String info = ((RespValue.BulkString) c.call("INFO", "persistence")).text();
            if (info.contains(field) && !info.contains("aof_rewrite_scheduled:1")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + field);
    }
}
