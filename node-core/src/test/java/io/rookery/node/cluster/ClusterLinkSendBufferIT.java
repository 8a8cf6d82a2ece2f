package io.rookery.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.protocol.RespValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cluster-link-sendbuf-limit} as Redis 7.0's 24-links test exercises it, run the same way on a
 * Rookery node and on a real redis-server: the peer (a real redis-server) is stopped with SIGSTOP, the
 * node publishes 128 KB messages that it broadcasts over the bus, and CLUSTER LINKS shows the link's
 * send buffer growing (with no limit nothing is dropped); once the limit is set below it the cron
 * drops the link, {@code total_cluster_links_buffer_limit_exceeded} counts it, a new outbound link
 * replaces it, the inbound link stays, and INFO's {@code mem_cluster_links} follows the buffers.
 */
@Tag("cluster")
class ClusterLinkSendBufferIT {
    private static final List<String> LINK_FIELDS = List.of("direction", "node", "create-time", "events",
            "send-buffer-allocated", "send-buffer-used");
    private static final String MESSAGE = "x".repeat(128 * 1024);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rookery", "redis"})
    void aLinkToAPeerThatStoppedReadingGrowsThenIsDroppedAtTheLimitAndReconnected(String kind) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        RealRedis peer = ClusterFixture.redis();
        open.add(peer);
        int port;
        if (kind.equals("rookery")) {
            var node = ClusterFixture.rookery();
            open.add(node);
            port = node.port();
        } else {
            RealRedis node = ClusterFixture.redis();
            open.add(node);
            port = node.port();
        }
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withTimeout(Duration.ofSeconds(10)).build());
        boolean suspended = false;
        try (StatefulRedisConnection<String, String> connection = client.connect();
             RawConnection resp3 = new RawConnection(port)) {
            RedisCommands<String, String> c = connection.sync();
            resp3.call("HELLO", "3");
            String peerId = ClusterFixture.id(peer.port());
            ClusterFixture.meet(port, peer.port());
            ClusterFixture.await("a link to and from the peer",
                    () -> link(resp3, peerId, "to") != null && link(resp3, peerId, "from") != null);
            c.configSet("cluster-node-timeout", "3600000"); // no reconnect of a silent link while the peer sleeps
            Map<String, RespValue> to = link(resp3, peerId, "to");
            Map<String, RespValue> from = link(resp3, peerId, "from");
            assertShape(to);
            assertShape(from);
            assertThat(clusterInfo(c, "total_cluster_links_buffer_limit_exceeded")).isZero();

            peer.suspend();
            suspended = true;
            long deadline = System.currentTimeMillis() + 60_000;
            while (used(link(resp3, peerId, "to")) == 0) { // the kernel's buffers fill first
                assertThat(System.currentTimeMillis()).as("the send buffer never grew").isLessThan(deadline);
                c.publish("news", MESSAGE);
            }
            long before = used(link(resp3, peerId, "to"));
            while (used(link(resp3, peerId, "to")) <= Math.max(before, 512 * 1024)) { // past the limit set below
                assertThat(System.currentTimeMillis()).as("the send buffer stopped growing").isLessThan(deadline);
                c.publish("news", MESSAGE);
            }
            Map<String, RespValue> grown = link(resp3, peerId, "to");
            assertThat(used(grown)).isGreaterThan(before);
            assertThat(number(grown, "send-buffer-allocated")).isGreaterThanOrEqualTo(used(grown));
            assertThat(((RespValue.BulkString) grown.get("events")).text()).isEqualTo("rw");
            assertThat(number(grown, "create-time")).isEqualTo(number(to, "create-time"));
            ClusterFixture.await("mem_cluster_links counting the buffer", () -> { // the cron sums it
                long pending = used(link(resp3, peerId, "to"));
                return pending > 0 && memClusterLinks(c) >= pending;
            });
            assertThat(clusterInfo(c, "total_cluster_links_buffer_limit_exceeded")).as("no limit by default").isZero();

            c.configSet("cluster-link-sendbuf-limit", Integer.toString(256 * 1024));
            ClusterFixture.await("the link dropped at the limit", () -> {
                if (clusterInfo(c, "total_cluster_links_buffer_limit_exceeded") >= 1) {
                    return true;
                }
                c.publish("news", MESSAGE); // as Redis's 24-links test: keep the buffer over the limit until the cron sees it
                return false;
            });
            ClusterFixture.await("a new link to the peer", () -> {
                Map<String, RespValue> now = link(resp3, peerId, "to");
                return now != null && number(now, "create-time") > number(to, "create-time");
            });
            assertThat(number(link(resp3, peerId, "from"), "create-time")).as("the inbound link stays")
                    .isEqualTo(number(from, "create-time"));
            ClusterFixture.await("mem_cluster_links without the dropped buffer", () -> memClusterLinks(c) < 256 * 1024);
        } finally {
            if (suspended) {
                peer.resume();
            }
            client.shutdown();
            for (AutoCloseable a : open) {
                a.close();
            }
        }
    }

    /** Redis's CLUSTER LINKS entry: six fields in this order, the times and sizes as integers. */
    private static void assertShape(Map<String, RespValue> link) {
        assertThat(link.keySet()).containsExactlyElementsOf(LINK_FIELDS);
        assertThat(link.get("direction")).isInstanceOf(RespValue.BulkString.class);
        assertThat(link.get("node")).isInstanceOf(RespValue.BulkString.class);
        assertThat(link.get("create-time")).isInstanceOf(RespValue.Integer.class);
        assertThat(link.get("events")).isInstanceOf(RespValue.BulkString.class);
        assertThat(link.get("send-buffer-allocated")).isInstanceOf(RespValue.Integer.class);
        assertThat(link.get("send-buffer-used")).isInstanceOf(RespValue.Integer.class);
    }

    /** The CLUSTER LINKS entry (a RESP3 map) of {@code direction} for node {@code peerId}, or null. */
    private static Map<String, RespValue> link(RawConnection resp3, String peerId, String direction) {
        RespValue reply;
        try {
            reply = resp3.call("CLUSTER", "LINKS");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        for (RespValue entry : ((RespValue.Array) reply).elements()) {
            List<RespValue> kv = ((RespValue.Map) entry).entries();
            Map<String, RespValue> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < kv.size(); i += 2) {
                fields.put(((RespValue.BulkString) kv.get(i)).text(), kv.get(i + 1));
            }
            if (text(fields, "node").equals(peerId) && text(fields, "direction").equals(direction)) {
                return fields;
            }
        }
        return null;
    }

    private static String text(Map<String, RespValue> link, String field) {
        return ((RespValue.BulkString) link.get(field)).text();
    }

    private static long number(Map<String, RespValue> link, String field) {
        return ((RespValue.Integer) link.get(field)).value();
    }

    private static long used(Map<String, RespValue> link) {
        return number(link, "send-buffer-used");
    }

    private static long clusterInfo(RedisCommands<String, String> c, String field) {
        return field(c.clusterInfo(), field);
    }

    private static long memClusterLinks(RedisCommands<String, String> c) {
        return field(c.info("memory"), "mem_cluster_links");
    }

    private static long field(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field + ":")).map(l -> Long.parseLong(l.substring(field.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + field + " in " + info));
    }
}
