package io.rookery.node.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DEBUG over the wire, compared with real redis-server 7.0 where Redis's answer is deterministic. */
class DebugCommandsIT {
    private static final RespValue OK = new RespValue.SimpleString("OK");

    private static TestNode node(String debug, Path dir) {
        return TestNode.start(c -> {
            try {
                if (debug != null) {
                    c.load("enable-debug-command", debug);
                }
                if (dir != null) {
                    c.load("dir", dir.toString());
                }
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A dataset of every type, small and large encodings, with and without TTLs, in two databases. */
    private static final List<String[]> DATASET = List.of(
            new String[]{"SET", "string", "hello"},
            new String[]{"SET", "int", "12345"},
            new String[]{"SET", "volatile", "v", "EX", "1000"},
            new String[]{"RPUSH", "list", "a", "b", "c", "1", "2"},
            new String[]{"SADD", "intset", "1", "2", "3"},
            new String[]{"SADD", "set", "x", "y", "z"},
            new String[]{"ZADD", "zset", "1", "a", "2.5", "b", "-3", "c", "inf", "d"},
            new String[]{"HSET", "hash", "f1", "v1", "f2", "v2"},
            new String[]{"DEBUG", "POPULATE", "50", "pop", "20"},
            new String[]{"SELECT", "3"},
            new String[]{"SET", "string", "hello"},
            new String[]{"HSET", "bighash", "f", "x".repeat(100)},
            new String[]{"ZADD", "bigzset", "0.1", "y".repeat(100), "1e300", "w"},
            new String[]{"EXPIRE", "bigzset", "1000"},
            new String[]{"SELECT", "0"});

    private static void load(RawConnection c) throws Exception {
        for (String[] cmd : DATASET) {
            assertThat(c.call(cmd)).as(String.join(" ", cmd)).isNotInstanceOf(RespValue.Error.class);
        }
    }

    @Test
    void refusedByDefaultWithRedisText() throws Exception {
        try (RealRedis redis = RealRedis.start(); RawConnection real = new RawConnection(redis.port());
             TestNode node = node(null, null); RawConnection ours = new RawConnection(node.port())) {
            RespValue refused = ours.call("DEBUG", "SLEEP", "0");
            assertThat(refused).isEqualTo(new RespValue.Error("ERR DEBUG command not allowed. If the enable-debug-command "
                    + "option is set to \"local\", you can run it from a local connection, otherwise you need to set this "
                    + "option in the configuration file, and then restart the server."));
            assertThat(refused).isEqualTo(real.call("DEBUG", "SLEEP", "0"));
        }
    }

    @Test
    void localAllowsLoopbackClients() throws Exception {
        try (TestNode node = node("local", null); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("DEBUG", "SLEEP", "0")).isEqualTo(OK);
        }
    }

    @Test
    void digestAndDigestValueMatchRealRedisForTheSameDataset() throws Exception {
        try (RealRedis redis = RealRedis.start("--enable-debug-command", "yes"); RawConnection real = new RawConnection(redis.port());
             TestNode node = node("yes", null); RawConnection ours = new RawConnection(node.port())) {
            assertThat(ours.call("DEBUG", "DIGEST")).isEqualTo(new RespValue.SimpleString("0".repeat(40)));
            load(real);
            load(ours);
            RespValue digest = real.call("DEBUG", "DIGEST");
            assertThat(ours.call("DEBUG", "DIGEST")).isEqualTo(digest);
            String[] keys = {"DEBUG", "DIGEST-VALUE", "string", "int", "volatile", "list", "intset", "set", "zset", "hash", "pop:7", "nokey"};
            assertThat(ours.call(keys)).isEqualTo(real.call(keys));
            ours.call("HSET", "hash", "f3", "v3");
            assertThat(ours.call("DEBUG", "DIGEST")).isNotEqualTo(digest);
        }
    }

    @Test
    void reloadSavesAndLoadsTheDatasetBack(@TempDir Path dir) throws Exception {
        try (TestNode node = node("yes", dir); RawConnection raw = new RawConnection(node.port())) {
            load(raw);
            RespValue before = raw.call("DEBUG", "DIGEST");
            assertThat(raw.call("DEBUG", "RELOAD")).isEqualTo(OK);
            assertThat(dir.resolve("dump.rdb")).exists();
            assertThat(raw.call("DEBUG", "DIGEST")).isEqualTo(before);
            assertThat(raw.call("DBSIZE")).isEqualTo(new RespValue.Integer(58));
            raw.call("SET", "later", "x");
            assertThat(raw.call("DEBUG", "RELOAD", "NOSAVE")).isEqualTo(OK);
            assertThat(raw.call("EXISTS", "later")).as("NOSAVE loads the file as it was").isEqualTo(new RespValue.Integer(0));
            raw.call("SET", "string", "changed");
            raw.call("SET", "extra", "kept");
            assertThat(raw.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")).isEqualTo(OK);
            assertThat(raw.call("GET", "string")).isEqualTo(new RespValue.BulkString("hello".getBytes()));
            assertThat(raw.call("GET", "extra")).isEqualTo(new RespValue.BulkString("kept".getBytes()));
            assertThat(raw.call("DEBUG", "RELOAD", "BOGUS")).isEqualTo(
                    new RespValue.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
        }
    }

    @Test
    void loadaofReloadsTheAppendOnlyFileWithoutWritingItAgain(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("enable-debug-command", "yes");
                c.load("dir", dir.toString());
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(OK); // as Redis's suite turns it on
            while (!info(raw, "persistence", "aof_rewrite_in_progress").equals("0")) {
                Thread.sleep(10);
            }
            for (String[] cmd : DATASET) {
                if (!cmd[0].equals("DEBUG")) { // POPULATE is not propagated, in Redis neither
                    raw.call(cmd);
                }
            }
            raw.call("SET", "ttl", "v", "EX", "100");
            RespValue digest = raw.call("DEBUG", "DIGEST");
            long before = aofBytes(dir);
            assertThat(raw.call("DEBUG", "LOADAOF")).isEqualTo(OK);
            assertThat(aofBytes(dir)).as("the replay is not appended again").isEqualTo(before);
            assertThat(raw.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(raw.call("TTL", "ttl")).isInstanceOfSatisfying(RespValue.Integer.class,
                    ttl -> assertThat(ttl.value()).isBetween(1L, 100L));
            raw.call("SET", "more", "x");
            raw.call("DEL", "more");
            assertThat(raw.call("DEBUG", "LOADAOF")).as("the first LOADAOF is not in the file").isEqualTo(OK);
            assertThat(raw.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(raw.call("SAVE")).isEqualTo(OK);
            assertThat(raw.call("DEBUG", "RELOAD")).isEqualTo(OK);
            assertThat(raw.call("DEBUG", "LOADAOF")).as("LOADAOF never finds itself in the file").isEqualTo(OK);
            assertThat(raw.call("DEBUG", "DIGEST")).isEqualTo(digest);
            assertThat(aofText(dir)).doesNotContain("LOADAOF").doesNotContain("RELOAD").doesNotContain("SAVE");
        }
    }

    private static String aofText(Path dir) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.list(dir.resolve("appendonlydir"))) {
            for (Path f : files.toList()) {
                all.append(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static long aofBytes(Path dir) throws Exception {
        try (var files = java.nio.file.Files.list(dir.resolve("appendonlydir"))) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void setActiveExpireZeroLeavesExpiredKeysUntilTouched() throws Exception {
        try (TestNode node = node("yes", null); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("DEBUG", "SET-ACTIVE-EXPIRE", "0")).isEqualTo(OK);
            for (int i = 0; i < 20; i++) {
                raw.call("SET", "k" + i, "v", "PX", "1");
            }
            long deadline = System.currentTimeMillis() + 300;
            while (System.currentTimeMillis() < deadline) {
                Thread.sleep(20); // several cron ticks pass: none may expire anything
            }
            assertThat(raw.call("DBSIZE")).isEqualTo(new RespValue.Integer(20));
            assertThat(raw.call("DEBUG", "SET-ACTIVE-EXPIRE", "1")).isEqualTo(OK);
            assertThat(raw.call("GET", "k0")).isEqualTo(new RespValue.Null());
        }
    }

    @Test
    void objectReportsEncodingAndAStableAddress() throws Exception {
        try (TestNode node = node("yes", null); RawConnection raw = new RawConnection(node.port())) {
            raw.call("SET", "foo", "20000");
            String first = ((RespValue.SimpleString) raw.call("DEBUG", "OBJECT", "foo")).value();
            assertThat(first).matches("Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:\\d+ lru:\\d+ lru_seconds_idle:\\d+");
            raw.call("INCR", "foo");
            String second = ((RespValue.SimpleString) raw.call("DEBUG", "OBJECT", "foo")).value();
            assertThat(second.split(" ")[1]).isEqualTo(first.split(" ")[1]);
            raw.call("RPUSH", "list", "a", "b");
            assertThat(((RespValue.SimpleString) raw.call("DEBUG", "OBJECT", "list")).value())
                    .contains("encoding:quicklist").contains(" ql_nodes:1 ");
            raw.call("HSET", "smallhash", "foo", "x".repeat(1024));
            assertThat(((RespValue.SimpleString) raw.call("DEBUG", "OBJECT", "smallhash")).value()).contains("encoding:hashtable");
            assertThat(raw.call("DEBUG", "OBJECT", "nokey")).isEqualTo(new RespValue.Error("ERR no such key"));
        }
    }

    @Test
    void simpleSubcommandsAnswerAsRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start("--enable-debug-command", "yes"); RawConnection real = new RawConnection(redis.port());
             TestNode node = node("yes", null); RawConnection ours = new RawConnection(node.port())) {
            List<String[]> calls = new ArrayList<>();
            for (String type : List.of("string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
                    "push", "verbatim", "true", "false", "bogus")) {
                calls.add(new String[]{"DEBUG", "PROTOCOL", type});
            }
            calls.add(new String[]{"DEBUG", "SLEEP", "0"});
            calls.add(new String[]{"DEBUG", "SLEEP", "0.01"});
            calls.add(new String[]{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b"});
            calls.add(new String[]{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"});
            calls.add(new String[]{"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"});
            calls.add(new String[]{"DEBUG", "STRINGMATCH-LEN"});
            calls.add(new String[]{"DEBUG", "JMAP"});
            calls.add(new String[]{"DEBUG", "NOSUCH"});
            calls.add(new String[]{"DEBUG", "ERROR", "BUSY something\nwrong"});
            calls.add(new String[]{"DEBUG", "LOG", "hello"});
            calls.add(new String[]{"DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "100"});
            calls.add(new String[]{"DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never"});
            calls.add(new String[]{"DEBUG", "REPLYBUFFER", "RESIZING", "0"});
            calls.add(new String[]{"DEBUG", "REPLYBUFFER", "BOGUS", "0"});
            calls.add(new String[]{"DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "0"});
            calls.add(new String[]{"DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"});
            calls.add(new String[]{"DEBUG", "PAUSE-CRON", "0"});
            calls.add(new String[]{"DEBUG", "POPULATE", "-1"});
            calls.add(new String[]{"DEBUG", "POPULATE", "10"});
            calls.add(new String[]{"DEBUG", "POPULATE", "5", "p", "3"});
            calls.add(new String[]{"MGET", "key:0", "key:9", "p:4"});
            calls.add(new String[]{"RPUSH", "list", "a"});
            calls.add(new String[]{"DEBUG", "LISTPACK", "list"});
            calls.add(new String[]{"DEBUG", "QUICKLIST", "list"});
            calls.add(new String[]{"DEBUG", "QUICKLIST", "nokey"});
            calls.add(new String[]{"DEBUG", "OBJECT"});
            calls.add(new String[]{"SADD", "intset", "1", "2"});
            calls.add(new String[]{"DEBUG", "HTSTATS-KEY", "intset"});
            calls.add(new String[]{"DEBUG", "HTSTATS-KEY", "nokey"});
            calls.add(new String[]{"DEBUG", "HTSTATS", "99"});
            calls.add(new String[]{"DEBUG"});
            for (int resp : new int[]{2, 3}) {
                real.call("HELLO", Integer.toString(resp));
                ours.call("HELLO", Integer.toString(resp));
                for (String[] call : calls) {
                    real.send(toBytes(call));
                    ours.send(toBytes(call));
                    byte[] expected = real.readReplyBytes();
                    byte[] actual = ours.readReplyBytes();
                    assertThat(new String(actual)).as("RESP%d %s", resp, String.join(" ", call)).isEqualTo(new String(expected));
                }
                real.call("FLUSHALL");
                ours.call("FLUSHALL");
            }
        }
    }

    @Test
    void theCommandTableListsDebugSyncAndPsyncAsRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); RawConnection real = new RawConnection(redis.port());
             TestNode node = node(null, null); RawConnection ours = new RawConnection(node.port())) {
            for (String name : List.of("debug", "sync", "psync")) {
                assertThat(ours.call("COMMAND", "INFO", name)).as(name).isEqualTo(real.call("COMMAND", "INFO", name));
            }
            RespValue.Array list = (RespValue.Array) ours.call("COMMAND", "LIST");
            assertThat(list.elements()).contains(new RespValue.BulkString("debug".getBytes()));
            assertThat(list.elements()).as("subcommands are listed too, as Redis lists them")
                    .contains(new RespValue.BulkString("client|list".getBytes()));
            long topLevel = list.elements().stream()
                    .filter(e -> !new String(((RespValue.BulkString) e).value()).contains("|")).count();
            assertThat(ours.call("COMMAND", "COUNT")).isEqualTo(new RespValue.Integer(topLevel));
        }
    }

    @Test
    void stringmatchTestPassesAsRedisReportsIt() throws Exception {
        // Redis runs a fuzzer over its C glob matcher for seconds; ours answers Redis's success line at once
        try (TestNode node = node("yes", null); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("DEBUG", "STRINGMATCH-TEST"))
                    .isEqualTo(new RespValue.SimpleString("Apparently Redis did not crash: test passed"));
        }
    }

    @Test
    void changeReplIdGivesANewIdAndClearsTheSecond() throws Exception {
        try (TestNode node = node("yes", null); RawConnection raw = new RawConnection(node.port())) {
            String before = info(raw, "master_replid");
            assertThat(raw.call("DEBUG", "CHANGE-REPL-ID")).isEqualTo(OK);
            assertThat(info(raw, "master_replid")).isNotEqualTo(before).hasSize(40);
            assertThat(info(raw, "master_replid2")).isEqualTo("0".repeat(40));
        }
    }

    @Test
    void pauseCronStopsActiveExpiry() throws Exception {
        try (TestNode node = node("yes", null); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("DEBUG", "PAUSE-CRON", "1")).isEqualTo(OK);
            raw.call("SET", "k", "v", "PX", "1");
            Thread.sleep(300);
            assertThat(raw.call("DBSIZE")).isEqualTo(new RespValue.Integer(1));
            assertThat(raw.call("DEBUG", "PAUSE-CRON", "0")).isEqualTo(OK);
            assertThat(node.node().parts().debugSwitches().cronPaused()).isFalse();
        }
    }

    private static String info(RawConnection raw, String field) throws Exception {
        return info(raw, "replication", field);
    }

    private static String info(RawConnection raw, String section, String field) throws Exception {
        RespValue v = raw.call("INFO", section);
        String text = v instanceof RespValue.Verbatim vb ? vb.text() : new String(((RespValue.BulkString) v).value());
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    private static List<byte[]> toBytes(String[] args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) {
            out.add(a.getBytes());
        }
        return out;
    }
}
