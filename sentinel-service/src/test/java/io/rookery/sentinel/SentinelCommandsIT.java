package io.rookery.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One sentinel watching a primary with one replica, driven by stock clients: Lettuce, redis-cli, raw RESP. */
class SentinelCommandsIT {

    private static Topology oneSentinel(Topology t) {
        TestNode primary = t.startNode(0, 0, c -> { });
        t.startNode(0, primary.port(), c -> { });
        t.startSentinel(primary.port(), 1, 5000);
        t.awaitDiscovery(1, Duration.ofSeconds(10));
        return t;
    }

    @Test
    void lettucesSentinelApiReadsTheMonitoredPrimary() {
        try (Topology t = oneSentinel(new Topology())) {
            Sentinel s = t.sentinels.get(0);
            RedisClient client = RedisClient.create();
            try (StatefulRedisSentinelConnection<String, String> c =
                         client.connectSentinel(RedisURI.create("redis://127.0.0.1:" + s.port()))) {
                RedisSentinelCommands<String, String> sentinel = c.sync();
                InetSocketAddress addr = (InetSocketAddress) sentinel.getMasterAddrByName(Topology.MASTER);
                assertThat(addr.getPort()).isEqualTo(t.nodes.get(0).port());
                Map<String, String> master = sentinel.master(Topology.MASTER);
                assertThat(master).containsEntry("name", Topology.MASTER).containsEntry("flags", "master")
                        .containsEntry("quorum", "1").containsEntry("num-slaves", "1")
                        .containsEntry("role-reported", "master").containsEntry("down-after-milliseconds", "5000");
                assertThat(sentinel.masters()).hasSize(1);
                List<Map<String, String>> replicas = sentinel.replicas(Topology.MASTER);
                assertThat(replicas).hasSize(1);
                assertThat(replicas.get(0)).containsEntry("port", Integer.toString(t.nodes.get(1).port()))
                        .containsEntry("flags", "slave").containsEntry("master-link-status", "ok");
                assertThat(sentinel.ping()).isEqualTo("PONG");
                assertThat(sentinel.info("sentinel")).contains("sentinel_masters:1",
                        "master0:name=mymaster,status=ok,address=127.0.0.1:" + t.nodes.get(0).port() + ",slaves=1,sentinels=1");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void redisCliTalksToTheSentinel() {
        try (Topology t = oneSentinel(new Topology())) {
            int port = t.sentinels.get(0).port();
            assertThat(RedisCli.run(port, "ROLE")).isEqualTo("sentinel\nmymaster\n");
            assertThat(RedisCli.run(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
                    .isEqualTo("127.0.0.1\n" + t.nodes.get(0).port() + "\n");
            assertThat(RedisCli.run(port, "SENTINEL", "MYID").trim()).hasSize(40);
            assertThat(RedisCli.run(port, "INFO", "server")).contains("redis_mode:sentinel");
            assertThat(RedisCli.run(port, "GET", "x")).startsWith("ERR unknown command 'GET'");
        }
    }

    @Test
    void commandsAnswerWithRedisSentinelsErrors() throws Exception {
        try (Topology t = oneSentinel(new Topology()); RawConnection c = new RawConnection(t.sentinels.get(0).port())) {
            assertThat(c.call("SENTINEL", "MASTER", "nosuch")).isEqualTo(new RespValue.Error("ERR No such master with that name"));
            assertThat(c.call("SENTINEL", "MONITOR", "x", "127.0.0.1", "abc", "2")).isEqualTo(new RespValue.Error("ERR Invalid port"));
            assertThat(c.call("SENTINEL", "MONITOR", "x", "127.0.0.1", "7000", "0"))
                    .isEqualTo(new RespValue.Error("ERR Quorum must be 1 or greater."));
            assertThat(c.call("SENTINEL", "MONITOR", "x", "localhost", "7000", "2"))
                    .isEqualTo(new RespValue.Error("ERR Invalid IP address or hostname specified"));
            assertThat(c.call("SENTINEL", "MONITOR", "mymaster", "127.0.0.1", "7000", "2"))
                    .isEqualTo(new RespValue.Error("ERR Duplicate master name."));
            assertThat(c.call("SENTINEL", "SET", "mymaster", "quorum", "0"))
                    .isEqualTo(new RespValue.Error("ERR Invalid argument '0' for SENTINEL SET 'quorum'"));
            assertThat(c.call("SENTINEL", "SET", "mymaster", "notification-script", "/bin/true")).isInstanceOf(RespValue.Error.class);
            assertThat(c.call("SENTINEL", "CONFIG", "SET", "announce-port", "x"))
                    .isEqualTo(new RespValue.Error("ERR Invalid value 'x' to SENTINEL CONFIG SET 'announce-port'"));
            assertThat(c.call("SENTINEL", "FOO")).isEqualTo(new RespValue.Error("ERR unknown subcommand 'FOO'. Try SENTINEL HELP."));
            assertThat(c.call("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", "x", "0", "*"))
                    .isEqualTo(new RespValue.Error("ERR value is not an integer or out of range"));
            assertThat(c.call("PUBLISH", "news", "x"))
                    .isEqualTo(new RespValue.Error("ERR Only HELLO messages are accepted by Sentinel instances."));
            assertThat(c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "nosuch")).isInstanceOf(RespValue.Null.class);
            assertThat(c.call("SENTINEL", "CKQUORUM", "mymaster")).isEqualTo(
                    new RespValue.SimpleString("OK 1 usable Sentinels. Quorum and failover authorization can be reached"));
            // malformed hellos, or hellos about primaries we do not watch, are taken and ignored
            assertThat(c.call("PUBLISH", "__sentinel__:hello", "garbage")).isEqualTo(new RespValue.Integer(1));
            assertThat(c.call("PUBLISH", "__sentinel__:hello", "127.0.0.1,1,x,y,nosuch,127.0.0.1,2,z")).isEqualTo(new RespValue.Integer(1));
            assertThat(t.sentinels.get(0).master(Topology.MASTER).join().sentinels()).isEmpty();
            RespValue down = c.call("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", Integer.toString(t.nodes.get(0).port()), "0", "*");
            assertThat(down).isEqualTo(new RespValue.Array(List.of(new RespValue.Integer(0),
                    new RespValue.BulkString("*".getBytes()), new RespValue.Integer(0))));
        }
    }

    @Test
    void monitorSetAndRemoveAreSavedAndPublished() throws Exception {
        try (Topology t = oneSentinel(new Topology());
             RawConnection c = new RawConnection(t.sentinels.get(0).port());
             RawConnection sub = new RawConnection(t.sentinels.get(0).port())) {
            Path file = t.sentinelFiles.get(0);
            sub.call("SUBSCRIBE", "+monitor");
            assertThat(c.call("SENTINEL", "MONITOR", "other", "127.0.0.1", "7001", "2")).isEqualTo(new RespValue.SimpleString("OK"));
            RespValue event = sub.readReply();
            assertThat(((RespValue.Array) event).elements().get(2))
                    .isEqualTo(new RespValue.BulkString("master other 127.0.0.1 7001 quorum 2".getBytes()));
            assertThat(Files.readString(file)).contains("sentinel monitor other 127.0.0.1 7001 2");
            assertThat(c.call("SENTINEL", "SET", "other", "down-after-milliseconds", "4000", "parallel-syncs", "3"))
                    .isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(Files.readString(file)).contains("sentinel down-after-milliseconds other 4000", "sentinel parallel-syncs other 3");
            assertThat(c.call("SENTINEL", "REMOVE", "other")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(Files.readString(file)).doesNotContain("other");
        }
    }

    @Test
    void theSentinelsStateSurvivesARestart() throws Exception {
        try (Topology t = oneSentinel(new Topology())) {
            Sentinel first = t.sentinels.get(0);
            String id = first.myId().join();
            assertThat(first.forceFailover(Topology.MASTER).join()).isNull();
            Topology.await("the forced failover to switch", Duration.ofSeconds(20), () -> !t.events("+switch-master").isEmpty());
            first.stop();
            Sentinel again = t.startSentinel(t.sentinelFiles.get(0));
            assertThat(again.myId().join()).isEqualTo(id);
            MasterView m = again.master(Topology.MASTER).join();
            assertThat(m.port()).isEqualTo(t.nodes.get(1).port()); // the promoted replica, not the configured primary
            assertThat(m.currentEpoch()).isEqualTo(1);
            assertThat(m.configEpoch()).isEqualTo(1);
            assertThat(m.replicas()).extracting(InstanceView::port).containsExactly(t.nodes.get(0).port());
        }
    }

    @Test
    void aStalledSentinelEntersTiltAndStopsActing() throws Exception {
        try (Topology t = oneSentinel(new Topology()); RawConnection c = new RawConnection(t.sentinels.get(0).port())) {
            Sentinel s = t.sentinels.get(0);
            assertThat(c.call("SENTINEL", "SET", Topology.MASTER, "down-after-milliseconds", "500"))
                    .isEqualTo(new RespValue.SimpleString("OK"));
            s.call(() -> {
                try {
                    Thread.sleep(2500); // the process stalls (GC, a frozen VM...)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }).join();
            Topology.await("+tilt", Duration.ofSeconds(5), () -> !t.events("+tilt").isEmpty());
            RespValue info = c.call("INFO", "sentinel");
            assertThat(((RespValue.BulkString) info).text()).contains("sentinel_tilt:1");

            // in TILT it keeps watching but does not act: the primary dies, no SDOWN, and it tells others "not down"
            int primaryPort = t.nodes.get(0).port();
            t.nodes.get(0).close();
            Topology.await("the link to the primary to drop", Duration.ofSeconds(5), () ->
                    s.master(Topology.MASTER).join().flags().contains("disconnected"));
            Thread.sleep(1500); // three times down-after-milliseconds
            assertThat(t.events("+sdown")).isEmpty();
            assertThat(c.call("SENTINEL", "IS-MASTER-DOWN-BY-ADDR", "127.0.0.1", Integer.toString(primaryPort), "0", "*"))
                    .isEqualTo(new RespValue.Array(List.of(new RespValue.Integer(0), new RespValue.BulkString("*".getBytes()),
                            new RespValue.Integer(0))));
        }
    }

    @Test
    void passwordsProtectTheSentinelAndAreUsedTowardsPrimariesAndPeers() throws Exception {
        try (Topology t = new Topology()) {
            java.util.function.Consumer<io.rookery.node.config.NodeConfig> secured = c -> {
                try {
                    c.load("requirepass", "data-secret");
                    c.load("masterauth", "data-secret");
                } catch (io.rookery.node.config.ConfigException e) {
                    throw new IllegalStateException(e);
                }
            };
            TestNode primary = t.startNode(0, 0, secured);
            t.startNode(0, primary.port(), secured);
            for (int i = 0; i < 2; i++) {
                Path dir = Files.createTempDirectory("sentinel");
                Path file = dir.resolve("sentinel.conf");
                Files.write(file, List.of("requirepass sentinel-secret",
                        "sentinel monitor mymaster 127.0.0.1 " + primary.port() + " 2",
                        "sentinel auth-pass mymaster data-secret"));
                t.startSentinel(file);
            }
            t.awaitDiscovery(1, Duration.ofSeconds(20)); // the peers found each other through AUTHed hellos
            try (RawConnection c = new RawConnection(t.sentinels.get(0).port())) {
                assertThat(c.call("SENTINEL", "MASTERS")).isEqualTo(new RespValue.Error("NOAUTH Authentication required."));
                assertThat(c.call("AUTH", "wrong")).isInstanceOf(RespValue.Error.class);
                assertThat(c.call("AUTH", "sentinel-secret")).isEqualTo(new RespValue.SimpleString("OK"));
                assertThat(c.call("SENTINEL", "FAILOVER", "mymaster")).isEqualTo(new RespValue.SimpleString("OK"));
            }
            Topology.await("the forced failover over authenticated links", Duration.ofSeconds(20), () ->
                    !Topology.isReplica(t.nodes.get(1)));
        }
    }

    @Test
    void shutdownStopsTheSentinel() throws Exception {
        try (Topology t = oneSentinel(new Topology())) {
            Sentinel s = t.sentinels.get(0);
            try (RawConnection c = new RawConnection(s.port())) {
                c.sendRaw("*1\r\n$8\r\nSHUTDOWN\r\n".getBytes());
                Topology.await("the connection to close", Duration.ofSeconds(5), () -> {
                    try {
                        return c.isClosedByPeer();
                    } catch (java.io.IOException e) {
                        return true;
                    }
                });
            }
            Topology.await("the sentinel to stop", Duration.ofSeconds(5), () -> !s.node().running());
        }
    }

    @Test
    void announcedAddressesAndHostnamesAreWhatOthersAreTold() throws Exception {
        try (Topology t = new Topology()) {
            TestNode primary = t.startNode(0, 0, c -> { });
            Path file = Files.createTempDirectory("sentinel").resolve("sentinel.conf");
            Files.write(file, List.of("sentinel resolve-hostnames yes", "sentinel announce-hostnames yes",
                    "sentinel announce-ip sentinel-1.example", "sentinel announce-port 26999",
                    "sentinel monitor mymaster localhost " + primary.port() + " 1"));
            try (RawConnection hello = new RawConnection(primary.port())) {
                hello.call("SUBSCRIBE", "__sentinel__:hello");
                Sentinel s = t.startSentinel(file);
                RespValue message = hello.readReply();
                String payload = ((RespValue.BulkString) ((RespValue.Array) message).elements().get(2)).text();
                assertThat(payload).startsWith("sentinel-1.example,26999," + s.myId().join() + ",0,mymaster,localhost,"
                        + primary.port() + ",0");
                try (RawConnection c = new RawConnection(s.port())) {
                    assertThat(c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")).isEqualTo(new RespValue.Array(List.of(
                            new RespValue.BulkString("localhost".getBytes()),
                            new RespValue.BulkString(Integer.toString(primary.port()).getBytes()))));
                }
            }
        }
    }
}
