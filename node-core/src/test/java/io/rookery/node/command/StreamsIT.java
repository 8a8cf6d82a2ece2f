package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.protocol.RespValue;
import io.rookery.node.support.SharedNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stream type through Lettuce: entries, trimming, consumer groups, blocking reads, persistence. */
class StreamsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RedisCommands<String, String> fresh(Lettuce l) {
        l.sync().flushall();
        return l.sync();
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static RespValue array(RespValue... items) {
        return new RespValue.Array(List.of(items));
    }

    private static XAddArgs id(String id) {
        return new XAddArgs().id(id);
    }

    private static String debug(RedisCommands<String, String> r, String sub) {
        return r.dispatch(io.lettuce.core.protocol.CommandType.DEBUG,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add(sub));
    }

    private static List<String> ids(List<StreamMessage<String, String>> messages) {
        return messages.stream().map(StreamMessage::getId).toList();
    }

    @ParameterizedTest(name = "XADD assigns ids that XRANGE, XREVRANGE and XREAD return ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void entriesComeBackInIdOrder(ProtocolVersion protocol) throws Exception {
        try (Lettuce l = Lettuce.connect(node.port(), protocol)) {
            RedisCommands<String, String> r = fresh(l);
            assertThat(r.xadd("s", id("1-1"), Map.of("a", "1"))).isEqualTo("1-1");
            assertThat(r.xadd("s", id("1-*"), Map.of("b", "2"))).isEqualTo("1-2");
            assertThat(r.xadd("s", id("5"), Map.of("c", "3"))).isEqualTo("5-0");
            String auto = r.xadd("s", Map.of("d", "4"));
            assertThat(Long.parseLong(auto.split("-")[0])).isGreaterThan(5);
            assertThat(r.xlen("s")).isEqualTo(4);
            assertThat(r.type("s")).isEqualTo("stream");
            assertThat(r.objectEncoding("s")).isEqualTo("stream");
            assertThat(ids(r.xrange("s", Range.create("-", "+")))).containsExactly("1-1", "1-2", "5-0", auto);
            assertThat(ids(r.xrange("s", Range.create("1-2", "5"), Limit.from(1)))).containsExactly("1-2");
            assertThat(ids(r.xrevrange("s", Range.create("-", "+"), Limit.from(2)))).containsExactly(auto, "5-0");
            assertThat(r.xrange("s", Range.create("-", "+")).get(0).getBody()).isEqualTo(Map.of("a", "1"));
            try (RawConnection raw = new RawConnection(node.port())) {
                // Lettuce 7.5's RESP2 XREAD parser folds the second entry into the first (it does so
                // against real Redis too), so the reply's shape is checked on the wire.
                assertThat(raw.call("XREAD", "COUNT", "5", "STREAMS", "s", "1-2")).isEqualTo(array(array(bulk("s"),
                        array(array(bulk("5-0"), array(bulk("c"), bulk("3"))), array(bulk(auto), array(bulk("d"), bulk("4")))))));
            }
            if (protocol == ProtocolVersion.RESP3) {
                assertThat(ids(r.xread(StreamOffset.from("s", "1-2")))).containsExactly("5-0", auto);
            }
            assertThatThrownBy(() -> r.xadd("s", id("1-0"), Map.of("x", "y")))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessage("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            assertThatThrownBy(() -> r.xrange("s", Range.create("abc", "+")))
                    .hasMessage("ERR Invalid stream ID specified as stream command argument");
            r.set("str", "v");
            assertThatThrownBy(() -> r.xadd("str", Map.of("a", "b")))
                    .hasMessageStartingWith("WRONGTYPE Operation against a key holding the wrong kind of value");
        }
    }

    @Test
    void xdelAndTrimsRemoveEntriesAndXinfoTracksThem() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = fresh(l);
            for (int i = 1; i <= 10; i++) {
                r.xadd("s", id(i + "-0"), Map.of("n", Integer.toString(i)));
            }
            assertThat(r.xdel("s", "3-0", "99-0")).isEqualTo(1);
            assertThat(r.xtrim("s", XTrimArgs.Builder.maxlen(5))).isEqualTo(4);
            assertThat(ids(r.xrange("s", Range.create("-", "+")))).containsExactly("6-0", "7-0", "8-0", "9-0", "10-0");
            assertThat(r.xtrim("s", XTrimArgs.Builder.minId("8-0"))).isEqualTo(2);
            List<Object> info = r.xinfoStream("s");
            Map<String, Object> fields = pairs(info);
            assertThat(fields).containsEntry("length", 3L).containsEntry("last-generated-id", "10-0")
                    .containsEntry("max-deleted-entry-id", "3-0").containsEntry("entries-added", 10L)
                    .containsEntry("recorded-first-entry-id", "8-0");
            assertThat(r.xadd("none", XAddArgs.Builder.nomkstream(), Map.of("a", "b"))).isNull();
            assertThat(r.exists("none")).isZero();
        }
    }

    @Test
    void approximateTrimsRemoveWholeNodesOnly() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = fresh(l);
            r.configSet("stream-node-max-entries", "10");
            try {
                for (int i = 0; i < 100; i++) {
                    r.xadd("s", Map.of("x", "v"));
                }
                assertThat(r.xtrim("s", XTrimArgs.Builder.maxlen(55).approximateTrimming())).isEqualTo(40);
                assertThat(r.xlen("s")).isEqualTo(60);
            } finally {
                r.configSet("stream-node-max-entries", "100");
            }
        }
    }

    private static Map<String, Object> pairs(List<Object> flat) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(String.valueOf(flat.get(i)), flat.get(i + 1));
        }
        return m;
    }

    @Test
    void consumerGroupsDeliverTrackAcknowledgeAndClaim() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            RedisCommands<String, String> r = fresh(l);
            r.xadd("s", id("1-0"), Map.of("a", "1"));
            r.xadd("s", id("2-0"), Map.of("b", "2"));
            r.xadd("s", id("3-0"), Map.of("c", "3"));
            assertThat(r.xgroupCreate(StreamOffset.from("s", "0"), "g")).isEqualTo("OK");
            assertThatThrownBy(() -> r.xgroupCreate(StreamOffset.from("s", "0"), "g"))
                    .hasMessage("BUSYGROUP Consumer Group name already exists");
            assertThat(ids(r.xreadgroup(Consumer.from("g", "alice"), XReadArgs.Builder.count(2), StreamOffset.lastConsumed("s"))))
                    .containsExactly("1-0", "2-0");
            assertThat(ids(r.xreadgroup(Consumer.from("g", "bob"), StreamOffset.lastConsumed("s")))).containsExactly("3-0");
            // history: alice's own pending entries
            assertThat(ids(r.xreadgroup(Consumer.from("g", "alice"), StreamOffset.from("s", "0")))).containsExactly("1-0", "2-0");

            PendingMessages summary = r.xpending("s", "g");
            assertThat(summary.getCount()).isEqualTo(3);
            assertThat(summary.getConsumerMessageCount()).containsEntry("alice", 2L).containsEntry("bob", 1L);
            List<PendingMessage> alices = r.xpending("s", XPendingArgs.Builder.xpending(Consumer.from("g", "alice"), Range.create("-", "+"), Limit.from(10)));
            assertThat(alices).extracting(PendingMessage::getId).containsExactly("1-0", "2-0");
            assertThat(alices.get(0).getRedeliveryCount()).isEqualTo(2);

            assertThat(r.xack("s", "g", "1-0", "9-0")).isEqualTo(1);
            List<StreamMessage<String, String>> claimed = r.xclaim("s", Consumer.from("g", "carol"), XClaimArgs.Builder.minIdleTime(0), "2-0");
            assertThat(ids(claimed)).containsExactly("2-0");
            ClaimedMessages<String, String> auto = r.xautoclaim("s", XAutoClaimArgs.Builder.xautoclaim(Consumer.from("g", "dave"), Duration.ZERO, "0").count(10));
            assertThat(ids(auto.getMessages())).containsExactly("2-0", "3-0");
            assertThat(auto.getId()).isEqualTo("0-0");

            List<Object> groups = r.xinfoGroups("s");
            Map<String, Object> g = pairs((List<Object>) groups.get(0));
            assertThat(g).containsEntry("name", "g").containsEntry("pending", 2L).containsEntry("last-delivered-id", "3-0")
                    .containsEntry("entries-read", 3L).containsEntry("lag", 0L);
            assertThat(r.xgroupDelconsumer("s", Consumer.from("g", "dave"))).isEqualTo(2);
            assertThat(r.xgroupDestroy("s", "g")).isTrue();
            assertThatThrownBy(() -> r.xreadgroup(Consumer.from("g", "x"), StreamOffset.lastConsumed("s")))
                    .hasMessage("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
            assertThat(r.xgroupCreate(StreamOffset.latest("made"), "g", XGroupCreateArgs.Builder.mkstream())).isEqualTo("OK");
            assertThat(r.xlen("made")).isZero();
        }
    }

    @Test
    void blockingXreadIsWokenByXadd() throws Exception {
        try (Lettuce reader = Lettuce.connect(node.port(), ProtocolVersion.RESP3);
             Lettuce writer = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            fresh(writer).xadd("s", id("1-0"), Map.of("old", "1"));
            var pending = reader.connection().async().xread(XReadArgs.Builder.block(0), StreamOffset.latest("s"));
            awaitBlocked(writer.sync(), 1);
            writer.sync().xadd("s", id("2-0"), Map.of("new", "2"));
            List<StreamMessage<String, String>> got = pending.get(10, TimeUnit.SECONDS);
            assertThat(ids(got)).containsExactly("2-0");
            assertThat(got.get(0).getBody()).isEqualTo(Map.of("new", "2"));
            assertThat(reader.sync().xread(XReadArgs.Builder.block(50), StreamOffset.latest("s"))).isEmpty();
        }
    }

    @Test
    void blockingXreadgroupIsServedAndFailsWhenTheKeyGoes() throws Exception {
        try (Lettuce reader = Lettuce.connect(node.port(), ProtocolVersion.RESP3);
             Lettuce writer = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> w = fresh(writer);
            w.xgroupCreate(StreamOffset.latest("s"), "g", XGroupCreateArgs.Builder.mkstream());
            var first = reader.connection().async().xreadgroup(Consumer.from("g", "c"), XReadArgs.Builder.block(0), StreamOffset.lastConsumed("s"));
            awaitBlocked(w, 1);
            w.xadd("s", id("7-0"), Map.of("f", "v"));
            assertThat(ids(first.get(10, TimeUnit.SECONDS))).containsExactly("7-0");
            assertThat(w.xpending("s", "g").getCount()).isEqualTo(1);

            var second = reader.connection().async().xreadgroup(Consumer.from("g", "c"), XReadArgs.Builder.block(0), StreamOffset.lastConsumed("s"));
            awaitBlocked(w, 1);
            w.del("s");
            assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("UNBLOCKED the stream key no longer exists");
        }
    }

    private static void awaitBlocked(RedisCommands<String, String> r, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!r.info("clients").contains("blocked_clients:" + count + "\r\n")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected " + count + " blocked clients: " + r.info("clients"));
            }
            Thread.sleep(10);
        }
    }

    @Test
    void unlinkingALargeStreamCountsAsALazyFree() {
        try (Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = fresh(l);
            r.configSet("stream-node-max-entries", "5");
            try {
                for (int i = 0; i < 1000; i++) {
                    r.xadd("big", Map.of("f", Integer.toString(i)));
                }
                r.xadd("small", Map.of("a", "b"));
                r.configResetstat();
                assertThat(r.unlink("small")).isEqualTo(1);
                assertThat(r.info("memory")).contains("lazyfreed_objects:0");
                assertThat(r.unlink("big")).isEqualTo(1);
                assertThat(r.info("memory")).contains("lazyfreed_objects:1");
            } finally {
                r.configSet("stream-node-max-entries", "100");
            }
        }
    }
}
