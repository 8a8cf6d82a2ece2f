package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RedisCli;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What a cluster-unaware client sees through the gateway, run against each kind of cluster by the
 * subclasses: every data type, multi-key commands across slots, pipelines, transactions, blocking
 * pops, pub/sub, scripts, SCAN, Redis's errors, RESP3.
 */
abstract class GatewayScenarios {

    abstract int gatewayPort();

    private Lettuce lettuce(ProtocolVersion v) {
        return Lettuce.connect(gatewayPort(), v);
    }

    @Test
    void stringsListsHashesSetsAndSortedSetsWorkThroughTheGateway() {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            for (int i = 0; i < 50; i++) {
                assertThat(r.set("str:" + i, "v" + i)).isEqualTo("OK");
            }
            for (int i = 0; i < 50; i++) {
                assertThat(r.get("str:" + i)).isEqualTo("v" + i);
            }
            assertThat(r.incrby("counter", 5)).isEqualTo(5);
            assertThat(r.rpush("list", "a", "b", "c")).isEqualTo(3);
            assertThat(r.lrange("list", 0, -1)).containsExactly("a", "b", "c");
            r.hset("hash", Map.of("f1", "v1", "f2", "v2"));
            assertThat(r.hgetall("hash")).containsEntry("f1", "v1").containsEntry("f2", "v2");
            assertThat(r.sadd("set", "x", "y", "x")).isEqualTo(2);
            assertThat(r.smembers("set")).containsExactlyInAnyOrder("x", "y");
            r.zadd("zset", 1.5, "one");
            r.zadd("zset", 2.5, "two");
            assertThat(r.zrangeWithScores("zset", 0, -1)).extracting(v -> v.getValue()).containsExactly("one", "two");
            assertThat(r.zscore("zset", "two")).isEqualTo(2.5);
            assertThatThrownBy(() -> r.lpush("str:1", "x")).hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void multiKeyCommandsSpanningSlotsAreSplitAndMergedInOrder() {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                values.put("mk:" + i, "value" + i);
            }
            assertThat(r.mset(values)).isEqualTo("OK");
            List<String> keys = new ArrayList<>(values.keySet());
            keys.add(3, "mk:missing");
            List<KeyValue<String, String>> got = r.mget(keys.toArray(String[]::new));
            assertThat(got).hasSize(21);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(got.get(i).getKey()).isEqualTo(keys.get(i));
                assertThat(got.get(i).getValueOrElse(null)).isEqualTo(values.get(keys.get(i)));
            }
            assertThat(r.exists(keys.toArray(String[]::new))).isEqualTo(20);
            assertThat(r.touch("mk:1", "mk:2", "nope")).isEqualTo(2);
            assertThat(r.unlink("mk:1", "mk:2")).isEqualTo(2);
            assertThat(r.del(keys.toArray(String[]::new))).isEqualTo(18);
            assertThatThrownBy(() -> r.msetnx(Map.of("a", "1", "b", "2")))
                    .hasMessageContaining("CROSSSLOT Keys in request don't hash to the same slot");
            assertThat(r.msetnx(Map.of("{t}a", "1", "{t}b", "2"))).isTrue();
        }
    }

    @Test
    void aPipelineOfAThousandCommandsGetsItsRepliesInOrder() throws Exception {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisAsyncCommands<String, String> a = l.connection().async();
            l.connection().setAutoFlushCommands(false);
            List<RedisFuture<String>> sets = new ArrayList<>();
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sets.add(a.set("pipe:" + i, "v" + i));
                gets.add(a.get("pipe:" + i));
            }
            l.connection().flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(20), gets.toArray(RedisFuture[]::new))).isTrue();
            for (int i = 0; i < 1000; i++) {
                assertThat(gets.get(i).get()).isEqualTo("v" + i);
            }
            l.connection().setAutoFlushCommands(true);
        }
    }

    @Test
    void requestsSentInlineOrCutAcrossWritesReachTheBackendIntact() throws Exception {
        String big = "b".repeat(100_000);
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // an inline request, then a multibulk pipelined behind it in the same write
            out.write(("SET raw:inline \"with space\"\r\n" + multibulk("SET", "raw:whole", "w") + multibulk("GET", "raw:inline"))
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readReply(in)).isEqualTo("+OK");
            assertThat(readReply(in)).isEqualTo("+OK");
            assertThat(readReply(in)).isEqualTo("with space");
            // one multibulk in three writes, cut inside its header and inside its big value
            byte[] cut = multibulk("SET", "raw:cut", big).getBytes(StandardCharsets.UTF_8);
            out.write(cut, 0, 5);
            out.flush();
            Thread.sleep(50);
            out.write(cut, 5, 50_000);
            out.flush();
            Thread.sleep(50);
            out.write(cut, 50_005, cut.length - 50_005);
            out.write(multibulk("GET", "raw:whole").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readReply(in)).isEqualTo("+OK");
            assertThat(readReply(in)).isEqualTo("w");
        }
        assertThat(RedisCli.run(gatewayPort(), "GET", "raw:cut").trim()).isEqualTo(big);
    }

    @Test
    void repliesPipelinedBeforeABlockingPopArriveWhileItBlocks() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gatewayPort()); Lettuce pusher = lettuce(ProtocolVersion.RESP2)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            // one write: keys on different primaries, then a pop that blocks longer than the socket waits
            out.write((multibulk("SET", "held:a", "1") + multibulk("SET", "held:b", "2") + multibulk("GET", "held:c")
                    + multibulk("SET", "held:a", "3") + multibulk("BLPOP", "held:list", "60")).getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(readReply(in)).isEqualTo("+OK");
            assertThat(readReply(in)).isEqualTo("+OK");
            assertThat(readLine(in)).isEqualTo("$-1");
            assertThat(readReply(in)).isEqualTo("+OK");
            pusher.sync().rpush("held:list", "job");
            assertThat(readLine(in)).isEqualTo("*2");
            assertThat(readReply(in)).isEqualTo("held:list");
            assertThat(readReply(in)).isEqualTo("job");
        }
    }

    private static String multibulk(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** A simple-string reply as "+text", a bulk reply as its text; enough for the raw-socket scenario. */
    private static String readReply(InputStream in) throws java.io.IOException {
        String line = readLine(in);
        if (!line.startsWith("$")) {
            return line;
        }
        byte[] body = in.readNBytes(Integer.parseInt(line.substring(1)) + 2);
        return new String(body, 0, body.length - 2, StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new java.io.EOFException("the gateway closed the connection");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Test
    void multiExecRunsInOneSlotAndRefusesKeysOfAnother() {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            r.multi();
            r.set("{acct}:a", "10");
            r.incrby("{acct}:a", 5);
            r.get("{acct}:a");
            TransactionResult res = r.exec();
            assertThat(res.wasDiscarded()).isFalse();
            assertThat((String) res.get(2)).isEqualTo("15");

            r.watch("{acct}:a");
            r.multi();
            r.set("{acct}:a", "20");
            assertThat(r.exec().wasDiscarded()).isFalse();
            assertThat(r.get("{acct}:a")).isEqualTo("20");

            r.multi();
            r.set("{acct}:a", "30");
            r.set("other", "x");
            assertThatThrownBy(r::exec).hasMessageContaining("EXECABORT");
            assertThat(r.get("{acct}:a")).isEqualTo("20");
        }
    }

    @Test
    void aWatchedKeyChangedByAnotherClientDiscardsTheTransaction() {
        try (Lettuce a = lettuce(ProtocolVersion.RESP2); Lettuce b = lettuce(ProtocolVersion.RESP2)) {
            a.sync().set("watched", "1");
            a.sync().watch("watched");
            b.sync().set("watched", "2");
            a.sync().multi();
            a.sync().set("watched", "3");
            assertThat(a.sync().exec().wasDiscarded()).isTrue();
            assertThat(a.sync().get("watched")).isEqualTo("2");
        }
    }

    @Test
    void aBlockedPopDoesNotHoldUpOtherClientsAndIsServedByAPush() throws Exception {
        try (Lettuce blocked = lettuce(ProtocolVersion.RESP2); Lettuce other = lettuce(ProtocolVersion.RESP2)) {
            CompletableFuture<KeyValue<String, String>> pop = blocked.connection().async().blpop(10, "queue").toCompletableFuture();
            for (int i = 0; i < 20; i++) {
                assertThat(other.sync().set("busy:" + i, "x")).isEqualTo("OK");
            }
            assertThat(pop).isNotDone();
            other.sync().rpush("queue", "job");
            assertThat(pop.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("job");
            assertThat(blocked.sync().bzpopmin(0.1, "nothing-here")).isNull();
        }
    }

    @Test
    void subscribersGetMessagesPublishedThroughTheGateway() throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + gatewayPort());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             Lettuce pub = lettuce(ProtocolVersion.RESP2)) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            sub.sync().subscribe("news");
            sub.sync().psubscribe("sport.*");
            ClusterUnderTest.await("the subscription to reach the node",
                    () -> pub.sync().publish("news", "hello") > 0);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("news=hello");
            got.clear();
            pub.sync().publish("sport.tennis", "ace");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("sport.*:sport.tennis=ace");
            sub.sync().unsubscribe("news");
            sub.sync().punsubscribe("sport.*");
            assertThat(sub.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void shardSubscribersGetMessagesOfTheirShardChannel() throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + gatewayPort());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             Lettuce pub = lettuce(ProtocolVersion.RESP2)) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void smessage(String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            sub.sync().ssubscribe("orders{eu}", "refunds{eu}");
            assertThat(pub.sync().spublish("orders{eu}", "o1")).isEqualTo(1);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("orders{eu}=o1");
            assertThat(pub.sync().spublish("refunds{eu}", "r1")).isEqualTo(1);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("refunds{eu}=r1");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void resp3ClientsGetResp3RepliesAndPushes() throws Exception {
        try (Lettuce l = lettuce(ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = l.sync();
            r.hset("r3hash", "f", "v");
            assertThat(r.hgetall("r3hash")).containsEntry("f", "v");
            r.zadd("r3z", 1.25, "m");
            assertThat(r.zscore("r3z", "m")).isEqualTo(1.25);
            assertThat(r.mget("r3:a", "r3:b")).hasSize(2);
        }
        String hello = RedisCli.run(gatewayPort(), "-3", "HELLO", "3");
        assertThat(hello).contains("proto").contains("3");
    }

    @Test
    void scriptsRunWhereTheirKeysLive() {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            Long n = r.eval("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])",
                    ScriptOutputType.INTEGER, new String[]{"{s}x", "{s}n"}, "hello");
            assertThat(n).isEqualTo(1);
            assertThat(r.get("{s}x")).isEqualTo("hello");
            String sha = r.scriptLoad("return redis.call('GET', KEYS[1])");
            for (int i = 0; i < 10; i++) {
                r.set("sk" + i, "v" + i);
                assertThat((String) r.evalsha(sha, ScriptOutputType.VALUE, "sk" + i)).isEqualTo("v" + i);
            }
            assertThat((String) r.eval("return 'no keys'", ScriptOutputType.VALUE)).isEqualTo("no keys");
        }
    }

    @Test
    void dbsizeKeysAndScanCoverEveryPrimary() {
        try (Lettuce l = lettuce(ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            Set<String> written = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                r.set("scan:" + i, "x");
                written.add("scan:" + i);
            }
            assertThat(r.dbsize()).isEqualTo(300);
            assertThat(r.keys("scan:*")).containsExactlyInAnyOrderElementsOf(written);
            Set<String> scanned = new HashSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                var page = r.scan(cursor, ScanArgs.Builder.limit(50).match("scan:*"));
                scanned.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(scanned).isEqualTo(written);
            String cli = RedisCli.run(gatewayPort(), "--scan", "--pattern", "scan:1*");
            assertThat(cli.lines().count()).isEqualTo(written.stream().filter(k -> k.startsWith("scan:1")).count());
        }
    }

    @Test
    void badInputGetsRedisErrors() {
        assertThat(RedisCli.run(gatewayPort(), "NOSUCH", "a", "b").trim())
                .isEqualTo("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b'");
        assertThat(RedisCli.run(gatewayPort(), "GET").trim()).isEqualTo("ERR wrong number of arguments for 'get' command");
        assertThat(RedisCli.run(gatewayPort(), "SELECT", "1").trim()).isEqualTo("ERR DB index is out of range");
        assertThat(RedisCli.run(gatewayPort(), "SELECT", "0").trim()).isEqualTo("OK");
        assertThat(RedisCli.run(gatewayPort(), "CLIENT", "NOPE").trim()).isEqualTo("ERR unknown subcommand 'NOPE'. Try CLIENT HELP.");
        assertThat(RedisCli.run(gatewayPort(), "EXEC").trim()).isEqualTo("ERR EXEC without MULTI");
        assertThat(RedisCli.run(gatewayPort(), "PING").trim()).isEqualTo("PONG");
        assertThat(RedisCli.run(gatewayPort(), "ECHO", "hi").trim()).isEqualTo("hi");
        assertThat(RedisCli.run(gatewayPort(), "INFO", "server")).contains("redis_version:7.0.15");
        assertThat(RedisCli.run(gatewayPort(), "ROLE")).startsWith("master");
        assertThat(RedisCli.run(gatewayPort(), "CLUSTER", "INFO").trim()).isEqualTo("ERR This instance has cluster support disabled");
    }

    @Test
    void jedisWorksThroughTheGateway() {
        try (Jedis j = new Jedis("127.0.0.1", gatewayPort())) {
            assertThat(j.set("jedis:a", "1")).isEqualTo("OK");
            assertThat(j.mset("jedis:b", "2", "jedis:c", "3")).isEqualTo("OK");
            assertThat(j.mget("jedis:a", "jedis:b", "jedis:c", "jedis:none")).containsExactly("1", "2", "3", null);
            assertThat(j.lpush("jedis:list", "x", "y")).isEqualTo(2);
            assertThat(j.hset("jedis:h", "f", "v")).isEqualTo(1);
            assertThat(j.hget("jedis:h", "f")).isEqualTo("v");
            var p = j.pipelined();
            List<redis.clients.jedis.Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                incrs.add(p.incr("jedis:ctr" + (i % 7)));
            }
            p.sync();
            assertThat(incrs.get(99).get()).isEqualTo(15);
            assertThat(j.del("jedis:a", "jedis:b", "jedis:c")).isEqualTo(3);
        }
    }
}
