package io.rookery.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pub/sub through Lettuce (RESP2 arrays and RESP3 pushes), patterns, and keyspace notifications. */
class PubSubIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    @ParameterizedTest(name = "messages and pattern messages reach Lettuce subscribers ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void channelAndPatternMessages(ProtocolVersion protocol) throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + node.port());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             Lettuce pub = Lettuce.connect(node.port(), protocol)) {
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
            sub.sync().psubscribe("n*");
            assertThat(pub.sync().publish("news", "hello")).isEqualTo(2);
            assertThat(pub.sync().publish("nope", "x")).isEqualTo(1);
            assertThat(pub.sync().publish("other", "x")).isZero();
            assertThat(List.of(got.poll(2, TimeUnit.SECONDS), got.poll(2, TimeUnit.SECONDS), got.poll(2, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder("news=hello", "n*:news=hello", "n*:nope=x");
            assertThat(pub.sync().pubsubNumsub("news")).containsEntry("news", 1L);
            assertThat(pub.sync().pubsubNumpat()).isEqualTo(1);
            assertThat(pub.sync().pubsubChannels()).contains("news");
            sub.sync().unsubscribe("news");
            sub.sync().punsubscribe("n*");
            assertThat(pub.sync().publish("news", "again")).isZero();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void keyspaceNotificationsIncludingExpiredAndEvicted() throws Exception {
        try (RawConnection sub = new RawConnection(node.port()); RawConnection cmd = new RawConnection(node.port())) {
            cmd.call("FLUSHALL");
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__key*@0__:*");
            cmd.call("SET", "k", "v");
            cmd.call("LPUSH", "l", "a");
            cmd.call("SET", "t", "v", "PX", "50");
            List<String> events = new java.util.ArrayList<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && !events.contains("__keyevent@0__:expired=t")) {
                RespValue.Array msg = (RespValue.Array) sub.readReply();
                events.add(((RespValue.BulkString) msg.elements().get(2)).text() + "="
                        + ((RespValue.BulkString) msg.elements().get(3)).text());
            }
            assertThat(events).contains("__keyspace@0__:k=set", "__keyevent@0__:set=k", "__keyspace@0__:l=lpush",
                    "__keyevent@0__:lpush=l", "__keyevent@0__:expired=t");

            cmd.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            cmd.call("CONFIG", "SET", "maxmemory", "1");
            cmd.call("GET", "k"); // every command first evicts down to the limit
            cmd.call("CONFIG", "SET", "maxmemory", "0");
            List<String> evicted = new java.util.ArrayList<>();
            while (evicted.size() < 2) {
                RespValue.Array msg = (RespValue.Array) sub.readReply();
                String channel = ((RespValue.BulkString) msg.elements().get(2)).text();
                if (channel.equals("__keyevent@0__:evicted")) {
                    evicted.add(((RespValue.BulkString) msg.elements().get(3)).text());
                }
            }
            assertThat(evicted).containsExactlyInAnyOrder("k", "l");
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "");
            cmd.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        }
    }

    @Test
    void newKeyEventOnlyWhenAKeyIsCreated() throws Exception {
        try (RawConnection sub = new RawConnection(node.port()); RawConnection cmd = new RawConnection(node.port())) {
            cmd.call("DEL", "fresh", "other");
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "En");
            try {
                sub.call("PSUBSCRIBE", "__keyevent@0__:new");
                cmd.call("SET", "fresh", "1");
                cmd.call("SET", "fresh", "2"); // overwriting is not "new"
                cmd.call("LPUSH", "other", "x");
                RespValue.Array first = (RespValue.Array) sub.readReply();
                RespValue.Array second = (RespValue.Array) sub.readReply();
                assertThat(((RespValue.BulkString) first.elements().get(3)).text()).isEqualTo("fresh");
                assertThat(((RespValue.BulkString) second.elements().get(3)).text()).isEqualTo("other");
            } finally {
                cmd.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void loweringMaxmemoryEvictsWithinConfigSet() throws Exception {
        try (RawConnection sub = new RawConnection(node.port()); RawConnection cmd = new RawConnection(node.port())) {
            cmd.call("FLUSHALL");
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            cmd.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            try {
                sub.call("PSUBSCRIBE", "__keyevent@0__:evicted");
                cmd.call("SET", "victim", "v");
                cmd.call("CONFIG", "SET", "maxmemory", "1");
                RespValue.Array msg = (RespValue.Array) sub.readReply(); // no further command was sent
                assertThat(((RespValue.BulkString) msg.elements().get(3)).text()).isEqualTo("victim");
            } finally {
                cmd.call("CONFIG", "SET", "maxmemory", "0");
                cmd.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
                cmd.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }
}
