package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.NodeJsProgram;
import io.rookery.node.support.RawConnection;
import io.rookery.protocol.RespValue;
import io.rookery.protocol.cluster.SlotHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side caching through the gateway, run against each kind of cluster by the subclasses: a
 * client that tracks keys through the gateway hears of every change to them, whoever made it — a client
 * of the gateway, a client connected straight to the node, expiry, a flush — in the form Redis sends:
 * RESP3 pushes on its own connection, or {@code __redis__:invalidate} messages on a RESP2 redirect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrackingScenarios {
    private ClusterUnderTest cluster;
    private Gateway gateway;

    /** The cluster of three primaries, no replicas, that the gateway fronts. */
    abstract ClusterUnderTest startCluster() throws Exception;

    @BeforeAll
    void start() throws Exception {
        cluster = startCluster();
        // two event loops whatever the cores: each loop has its own invalidation listeners, and clients
        // on different loops must each get theirs
        gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()).withIoThreads(2));
        gateway.start();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    int gatewayPort() {
        return gateway.port();
    }

    /** The port of the primary that serves {@code key} (for a client connected straight to it). */
    int nodePortOf(String key) {
        return cluster.primaryOf(slot(key));
    }

    /** Every primary's port. */
    List<Integer> primaryPorts() {
        return cluster.ports();
    }

    static int slot(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A reply as text: strings as they are, pushes as {@code >[..]}, arrays, sets and maps as {@code [..]}. */
    static String show(RespValue v) {
        if (v instanceof RespValue.BulkString b) {
            return new String(b.value(), StandardCharsets.UTF_8);
        } else if (v instanceof RespValue.SimpleString s) {
            return s.value();
        } else if (v instanceof RespValue.Integer i) {
            return Long.toString(i.value());
        } else if (v instanceof RespValue.Null) {
            return "null";
        } else if (v instanceof RespValue.Error e) {
            return "ERR:" + e.message();
        } else if (v instanceof RespValue.Push p) {
            return ">" + join(p.elements());
        } else if (v instanceof RespValue.Array a) {
            return join(a.elements());
        } else if (v instanceof RespValue.Set s) {
            return join(s.elements());
        } else if (v instanceof RespValue.Map m) {
            return join(m.entries());
        }
        return String.valueOf(v);
    }

    private static String join(List<RespValue> values) {
        return values.stream().map(TrackingScenarios::show).collect(Collectors.joining(" ", "[", "]"));
    }

    static String call(RawConnection c, String... args) throws IOException {
        return show(c.call(args));
    }

    static String read(RawConnection c) throws IOException {
        return show(c.readReply());
    }

    RawConnection gatewayResp3() throws IOException {
        RawConnection c = new RawConnection(gatewayPort());
        c.call("HELLO", "3");
        return c;
    }

    /** Writes {@code key} on a connection straight to the node that serves it, not through the gateway. */
    void writeStraightToNode(String key, String value) {
        try (Lettuce direct = Lettuce.connect(nodePortOf(key), ProtocolVersion.RESP2)) {
            assertThat(direct.sync().set(key, value)).isEqualTo("OK");
        }
    }

    @Test
    void aLettuceResp3ClientHearsOfAWriteMadeStraightOnTheNode() throws Exception {
        BlockingQueue<String> pushes = new LinkedBlockingQueue<>();
        try (Lettuce tracker = Lettuce.connect(gatewayPort(), ProtocolVersion.RESP3)) {
            PushListener listener = msg -> pushes.add(msg.getType() + " " + msg.getContent(StringCodec.UTF8::decodeKey));
            tracker.connection().addListener(listener);
            writeStraightToNode("trk:direct", "1");
            assertThat(tracker.sync().clientTracking(TrackingArgs.Builder.enabled())).isEqualTo("OK");
            assertThat(tracker.sync().get("trk:direct")).isEqualTo("1");
            writeStraightToNode("trk:direct", "2");
            assertThat(pushes.poll(10, TimeUnit.SECONDS)).isEqualTo("invalidate [invalidate, [trk:direct]]");
            assertThat(tracker.sync().get("trk:direct")).isEqualTo("2");
        }
    }

    @Test
    void aWriteByAnotherGatewayClientInvalidatesOnlyTheKeysThatWereRead() throws Exception {
        try (RawConnection tracker = gatewayResp3();
             Lettuce writer = Lettuce.connect(gatewayPort(), ProtocolVersion.RESP2)) {
            writer.sync().set("trk:read", "1");
            assertThat(call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
            assertThat(call(tracker, "GET", "trk:read")).isEqualTo("1");
            writer.sync().set("trk:unread", "x"); // never read by the tracker: no invalidation
            writer.sync().incr("trk:read");
            assertThat(read(tracker)).isEqualTo(">[invalidate [trk:read]]");
            // forgotten once invalidated, until read again (as Redis)
            writer.sync().incr("trk:read");
            assertThat(call(tracker, "GET", "trk:read")).isEqualTo("3");
            writer.sync().incr("trk:read");
            assertThat(read(tracker)).isEqualTo(">[invalidate [trk:read]]");
        }
    }

    @Test
    void aResp2LettuceClientGetsItsInvalidationsThroughARedirectSubscriber() throws Exception {
        try (RawConnection redirect = new RawConnection(gatewayPort());
             Lettuce tracker = Lettuce.connect(gatewayPort(), ProtocolVersion.RESP2)) {
            String id = call(redirect, "CLIENT", "ID");
            assertThat(call(redirect, "SUBSCRIBE", "__redis__:invalidate")).isEqualTo("[subscribe __redis__:invalidate 1]");
            assertThat(tracker.sync().clientTracking(TrackingArgs.Builder.enabled().redirect(Long.parseLong(id))))
                    .isEqualTo("OK");
            assertThat(tracker.sync().clientGetredir()).isEqualTo(Long.parseLong(id));
            writeStraightToNode("trk:r2", "1");
            assertThat(tracker.sync().get("trk:r2")).isEqualTo("1");
            writeStraightToNode("trk:r2", "2");
            assertThat(read(redirect)).isEqualTo("[message __redis__:invalidate [trk:r2]]");
            tracker.sync().flushall();
            assertThat(read(redirect)).isEqualTo("[message __redis__:invalidate null]");
        }
    }

    @Test
    void lettucesClientSideCachingDropsAValueChangedStraightOnTheNode() throws Exception {
        Map<String, String> cache = new ConcurrentHashMap<>();
        try (Lettuce tracked = Lettuce.connect(gatewayPort(), ProtocolVersion.RESP3)) {
            writeStraightToNode("trk:csc", "v1");
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(cache),
                    tracked.connection(), TrackingArgs.Builder.enabled());
            assertThat(frontend.get("trk:csc")).isEqualTo("v1");
            assertThat(cache).containsEntry("trk:csc", "v1");
            writeStraightToNode("trk:csc", "v2");
            ClusterUnderTest.await("the cached value to be dropped", () -> !cache.containsKey("trk:csc"));
            assertThat(frontend.get("trk:csc")).isEqualTo("v2");
        }
    }

    @Test
    void aKeyThatExpiresOnTheNodeIsInvalidated() throws Exception {
        try (RawConnection tracker = gatewayResp3();
             Lettuce direct = Lettuce.connect(nodePortOf("trk:ttl"), ProtocolVersion.RESP2)) {
            assertThat(call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
            direct.sync().psetex("trk:ttl", 300, "soon gone");
            assertThat(call(tracker, "GET", "trk:ttl")).isEqualTo("soon gone");
            assertThat(read(tracker)).isEqualTo(">[invalidate [trk:ttl]]"); // active expiry deletes it within seconds
        }
    }

    @Test
    void bcastClientsHearOfEveryKeyUnderTheirPrefixesWithoutReadingIt() throws Exception {
        try (RawConnection tracker = gatewayResp3()) {
            assertThat(call(tracker, "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "bc:", "PREFIX", "other:"))
                    .isEqualTo("OK");
            writeStraightToNode("elsewhere:1", "x");
            writeStraightToNode("bc:1", "x");
            assertThat(read(tracker)).isEqualTo(">[invalidate [bc:1]]");
            assertThat(call(tracker, "CLIENT", "TRACKINGINFO")).isEqualTo("[flags [on bcast] redirect 0 prefixes [bc: other:]]");
        }
    }

    @Test
    void optinTracksOnlyTheCommandAfterClientCachingYes() throws Exception {
        try (RawConnection tracker = gatewayResp3()) {
            writeStraightToNode("trk:optin:a", "1");
            writeStraightToNode("trk:optin:b", "1");
            assertThat(call(tracker, "CLIENT", "TRACKING", "on", "OPTIN")).isEqualTo("OK");
            assertThat(call(tracker, "GET", "trk:optin:a")).isEqualTo("1");
            assertThat(call(tracker, "CLIENT", "CACHING", "yes")).isEqualTo("OK");
            assertThat(call(tracker, "CLIENT", "TRACKINGINFO")).isEqualTo("[flags [on optin caching-yes] redirect 0 prefixes []]");
            assertThat(call(tracker, "GET", "trk:optin:b")).isEqualTo("1");
            writeStraightToNode("trk:optin:a", "2");
            writeStraightToNode("trk:optin:b", "2");
            assertThat(read(tracker)).isEqualTo(">[invalidate [trk:optin:b]]");
        }
    }

    @Test
    void aFlushSendsANullInvalidation() throws Exception {
        try (RawConnection tracker = gatewayResp3();
             RawConnection other = new RawConnection(gatewayPort())) {
            // written before tracking starts: the SET's own invalidation travels on the primary's
            // listener connection and may reach the gateway after the GET below was answered, which
            // would put a (harmless, spurious) invalidation of the key ahead of the flush's null
            call(other, "SET", "trk:flush", "1");
            assertThat(call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
            assertThat(call(tracker, "GET", "trk:flush")).isEqualTo("1");
            assertThat(call(other, "FLUSHALL")).isEqualTo("OK");
            assertThat(read(tracker)).isEqualTo(">[invalidate null]");
        }
    }

    @Test
    void aRedirectToAClientThatLeftIsReportedBroken() throws Exception {
        try (RawConnection tracker = gatewayResp3()) {
            String id;
            try (RawConnection redirect = new RawConnection(gatewayPort())) {
                id = call(redirect, "CLIENT", "ID");
                assertThat(call(tracker, "CLIENT", "TRACKING", "on", "REDIRECT", id)).isEqualTo("OK");
                writeStraightToNode("trk:broken", "1");
                assertThat(call(tracker, "GET", "trk:broken")).isEqualTo("1");
            }
            ClusterUnderTest.await("the redirect client to be gone", () -> {
                try (RawConnection probe = new RawConnection(gatewayPort())) {
                    return !show(probe.call("CLIENT", "LIST", "ID", id)).contains("id=" + id + " ");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writeStraightToNode("trk:broken", "2");
            assertThat(read(tracker)).isEqualTo(">[tracking-redir-broken " + id + "]");
            assertThat(call(tracker, "CLIENT", "TRACKINGINFO")).isEqualTo("[flags [on broken_redirect] redirect " + id
                    + " prefixes []]");
            assertThat(call(tracker, "CLIENT", "INFO")).contains(" flags=tR ").contains(" redir=" + id + " ");
        }
    }

    @Test
    void losingTheConnectionThatCarriesANodesInvalidationsSendsANullInvalidation() throws Exception {
        try (RawConnection tracker = gatewayResp3()) {
            assertThat(call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
            writeStraightToNode("trk:lost", "1");
            assertThat(call(tracker, "GET", "trk:lost")).isEqualTo("1");
            try (Lettuce direct = Lettuce.connect(nodePortOf("trk:lost"), ProtocolVersion.RESP2)) {
                // the gateway's BCAST listeners (one per event loop) are the node's only broadcast trackers
                String list = direct.sync().clientList();
                List<String> listeners = list.lines().filter(l -> l.contains(" flags=tB ")).toList();
                assertThat(listeners).as("BCAST tracking connections from the gateway in:\n" + list).isNotEmpty();
                for (String listener : listeners) {
                    long lid = Long.parseLong(listener.substring(3, listener.indexOf(' ')));
                    assertThat(direct.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(lid))).isEqualTo(1L);
                }
            }
            assertThat(read(tracker)).isEqualTo(">[invalidate null]");
            // a new listener is opened; once it is ready the client is told to drop everything once more
            // (writes made before it was ready went unheard), and later changes are heard again
            assertThat(read(tracker)).isEqualTo(">[invalidate null]");
            assertThat(call(tracker, "GET", "trk:lost")).isEqualTo("1");
            writeStraightToNode("trk:lost", "2");
            String next = read(tracker);
            assertThat(next).isEqualTo(">[invalidate [trk:lost]]");
        }
    }

    @Test
    void aKeyWhoseSlotMovesToAnotherPrimaryIsStillInvalidatedThere() throws Exception {
        String key = "trk:moved";
        int slot = slot(key);
        int from = nodePortOf(key);
        int to = primaryPorts().stream().filter(p -> p != from).findFirst().orElseThrow();
        try (RawConnection tracker = gatewayResp3()) {
            assertThat(call(tracker, "SET", key, "1")).isEqualTo("OK");
            assertThat(call(tracker, "CLIENT", "TRACKING", "on")).isEqualTo("OK");
            assertThat(call(tracker, "GET", key)).isEqualTo("1");
            String fromId = io.rookery.node.support.RedisCli.run(from, "CLUSTER", "MYID").trim();
            String toId = io.rookery.node.support.RedisCli.run(to, "CLUSTER", "MYID").trim();
            assertThat(io.rookery.node.support.RedisCli.run(to, "CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING",
                    fromId).trim()).isEqualTo("OK");
            assertThat(io.rookery.node.support.RedisCli.run(from, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING",
                    toId).trim()).isEqualTo("OK");
            assertThat(io.rookery.node.support.RedisCli.run(from, "MIGRATE", "127.0.0.1", Integer.toString(to), "", "0",
                    "5000", "KEYS", key).trim()).isEqualTo("OK");
            for (int p : primaryPorts()) {
                assertThat(io.rookery.node.support.RedisCli.run(p, "CLUSTER", "SETSLOT", Integer.toString(slot), "NODE",
                        toId).trim()).isEqualTo("OK");
            }
            // the key left the old primary (MIGRATE deleted it there): cached copies are dropped
            assertThat(read(tracker)).isEqualTo(">[invalidate [" + key + "]]");
            ClusterUnderTest.await("the slot to be served by its new primary", () -> nodePortOf(key) == to);
            assertThat(call(tracker, "GET", key)).isEqualTo("1");
            writeStraightToNode(key, "2");
            assertThat(read(tracker)).isEqualTo(">[invalidate [" + key + "]]");
        }
    }

    /**
     * node-redis 5's client-side cache (RESP3, CLIENT TRACKING) through the gateway: the program that
     * JavaScriptClientsIT runs against real redis-server and a node — cached GETs served from the cache, then
     * evicted by another client's SET and DEL and by FLUSHALL, each through the gateway.
     */
    @Test
    void nodeRedisClientSideCacheSeesInvalidationsThroughTheGateway(@TempDir Path dir) throws Exception {
        assertThat(NodeJsProgram.run("client_side_cache_node_redis.js", dir, Integer.toString(gatewayPort()))).isEqualTo("ok");
    }

    @Test
    void clientTrackingInsideMultiIsRefusedAndAbortsTheTransaction() throws Exception {
        try (RawConnection c = gatewayResp3()) {
            assertThat(call(c, "MULTI")).isEqualTo("OK");
            assertThat(call(c, "CLIENT", "TRACKING", "on"))
                    .isEqualTo("ERR:ERR gateway: CLIENT TRACKING inside MULTI is not supported through the gateway");
            assertThat(call(c, "EXEC")).startsWith("ERR:EXECABORT");
            assertThat(call(c, "CLIENT", "TRACKINGINFO")).isEqualTo("[flags [off] redirect -1 prefixes []]");
        }
    }
}
