package io.rookery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * CLIENT commands answered by the gateway about its own client connections, compared with what a real
 * redis-server 7.0 answers to the same commands: shapes, error texts, KILL in every form, PAUSE
 * holding commands, REPLY OFF/SKIP, and the client-side caching subcommands.
 */
@Tag("gateway")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCommandsIT {
    private ClusterUnderTest cluster;
    private Gateway gateway;
    private RealRedis redis;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterUnderTest.realRedis(3, 0);
        gateway = new Gateway(GatewayConfig.cluster(0, cluster.seeds()));
        gateway.start();
        redis = RealRedis.start();
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void repliesAndErrorsAreThoseOfRedis() {
        List<List<String>> commands = List.of(
                List.of("CLIENT", "SETNAME", "a b"), List.of("CLIENT", "GETNAME"), List.of("CLIENT", "LIST", "TYPE", "foo"),
                List.of("CLIENT", "LIST", "ID", "x"), List.of("CLIENT", "LIST", "ID", "999999"), List.of("CLIENT", "LIST", "foo"),
                List.of("CLIENT", "KILL", "1.2.3.4:5"), List.of("CLIENT", "KILL", "ID", "0"), List.of("CLIENT", "KILL", "ID", "abc"),
                List.of("CLIENT", "KILL", "TYPE", "foo"), List.of("CLIENT", "KILL", "USER", "nobody"),
                List.of("CLIENT", "KILL", "SKIPME", "maybe"), List.of("CLIENT", "KILL", "ID", "999999"),
                List.of("CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME", "yes"), List.of("CLIENT", "KILL", "ADDR"),
                List.of("CLIENT", "KILL", "FOO", "bar"), List.of("CLIENT", "PAUSE", "10", "FOO"), List.of("CLIENT", "PAUSE", "abc"),
                List.of("CLIENT", "PAUSE", "-1"), List.of("CLIENT", "PAUSE", "1", "WRITE", "x"), List.of("CLIENT", "UNPAUSE"),
                List.of("CLIENT", "REPLY", "FOO"), List.of("CLIENT", "NO-EVICT", "FOO"), List.of("CLIENT", "NO-EVICT", "ON"),
                List.of("CLIENT", "GETREDIR"), List.of("CLIENT", "SETNAME", "ok-name"), List.of("CLIENT", "UNBLOCK", "abc"),
                List.of("CLIENT", "UNBLOCK", "999999"), List.of("CLIENT", "UNBLOCK", "1", "FOO"),
                List.of("CLIENT", "UNBLOCK", "1", "TIMEOUT", "x"), List.of("CLIENT", "unblock", "1", "error", "x"));
        for (List<String> cmd : commands) {
            String[] args = cmd.toArray(String[]::new);
            assertThat(RedisCli.run(gateway.port(), args)).as(String.join(" ", cmd)).isEqualTo(RedisCli.run(redis.port(), args));
        }
    }

    @Test
    void clientListAndInfoHaveRedisFieldsInRedisOrder() {
        try (Jedis j = new Jedis("127.0.0.1", gateway.port()); Jedis r = new Jedis("127.0.0.1", redis.port())) {
            j.clientSetname("app-1");
            r.clientSetname("app-1");
            String ours = j.clientInfo().trim();
            assertThat(fieldNames(ours)).isEqualTo(fieldNames(r.clientInfo().trim()));
            assertThat(ours).contains("id=" + j.clientId() + " ").contains(" name=app-1 ").contains(" cmd=client|info ")
                    .contains(" flags=N ").contains(" resp=2");
            String list = j.clientList();
            assertThat(list.lines()).anyMatch(l -> l.contains(" name=app-1 "));
            assertThat(list.lines().allMatch(l -> fieldNames(l).equals(fieldNames(ours)))).isTrue();
            assertThat(RedisCli.run(gateway.port(), "CLIENT", "LIST", "ID", Long.toString(j.clientId())))
                    .contains("name=app-1");
            assertThat(RedisCli.run(gateway.port(), "CLIENT", "LIST", "TYPE", "normal")).contains("name=app-1");
            assertThat(RedisCli.run(gateway.port(), "CLIENT", "LIST", "TYPE", "pubsub")).doesNotContain("name=app-1");
            assertThat(j.clientGetname()).isEqualTo("app-1");
            assertThat(j.clientNoEvictOn()).isEqualTo("OK");
            assertThat(j.clientInfo()).contains(" flags=e ");
        }
    }

    @Test
    void clientKillInEveryForm() throws Exception {
        try (Jedis killer = new Jedis("127.0.0.1", gateway.port())) {
            Jedis byId = connect();
            assertThat(killer.clientKill(new ClientKillParams().id(Long.toString(byId.clientId()))))
                    .isEqualTo(1);
            assertGone(byId);

            Jedis byAddr = connect();
            String addr = field(byAddr.clientInfo(), "addr");
            assertThat(killer.clientKill(addr)).isEqualTo("OK");
            assertGone(byAddr);

            Jedis byLaddr = connect();
            String laddr = field(byLaddr.clientInfo(), "laddr");
            assertThat(killer.clientKill(new ClientKillParams().laddr(laddr))).isGreaterThanOrEqualTo(1);
            assertGone(byLaddr);
            assertThat(killer.ping()).isEqualTo("PONG"); // SKIPME yes by default

            Jedis byUser = connect();
            assertThat(killer.clientKill(new ClientKillParams().user("default")
                    .skipMe(ClientKillParams.SkipMe.YES))).isGreaterThanOrEqualTo(1);
            assertGone(byUser);
            assertThat(killer.ping()).isEqualTo("PONG");
        }
        try (RawConnection self = new RawConnection(gateway.port())) {
            self.sendRaw("CLIENT INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            String info = new String(self.readReplyBytes(), StandardCharsets.US_ASCII);
            String addr = field(info.substring(info.indexOf("id=")), "addr");
            self.sendRaw(("CLIENT KILL " + addr + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(self.readReplyBytes(), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
            ClusterUnderTest.await("the gateway to close the connection that killed itself", () -> {
                try {
                    return self.isClosedByPeer();
                } catch (Exception e) {
                    return true;
                }
            });
        }
    }

    @Test
    void pauseWriteHoldsWritesUntilUnpauseWhileReadsGoOn() throws Exception {
        try (Lettuce writer = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2);
             Lettuce reader = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2);
             Lettuce admin = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
            reader.sync().set("pause:k", "before");
            assertThat(client(admin, "PAUSE", "60000", "WRITE").get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            RedisFuture<String> held = writer.connection().async().set("pause:k", "after");
            RedisFuture<String> behind = writer.connection().async().get("pause:k");
            ClusterUnderTest.await("the write to be held", () -> gateway.clients().blocked() == 1);
            assertThat(reader.sync().get("pause:k")).isEqualTo("before");
            assertThat(held.isDone()).isFalse();
            assertThat(behind.isDone()).isFalse();
            assertThat(RedisCli.run(gateway.port(), "CLIENT", "LIST")).contains(" flags=b ");
            assertThat(client(admin, "UNPAUSE").get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(behind.get(10, TimeUnit.SECONDS)).isEqualTo("after");
        }
    }

    @Test
    void pauseAllHoldsEveryCommandUntilItsTimeout() throws Exception {
        try (Lettuce client = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2);
             Lettuce admin = Lettuce.connect(gateway.port(), ProtocolVersion.RESP2)) {
            client.sync().set("pause:all", "v");
            assertThat(admin.sync().clientPause(1500)).isEqualTo("OK");
            RedisFuture<String> read = client.connection().async().get("pause:all");
            RedisFuture<String> unpause = client(admin, "UNPAUSE"); // held too, as redis-server does
            ClusterUnderTest.await("both commands to be held", () -> gateway.clients().blocked() == 2);
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("v");
            assertThat(unpause.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
        }
    }

    @Test
    void replyOffAndSkipDropRepliesAsRedisDoes() throws Exception {
        for (int port : new int[]{gateway.port(), redis.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                c.sendRaw(("CLIENT REPLY SKIP\r\nSET reply:k 1\r\nGET reply:k\r\n"
                        + "CLIENT REPLY OFF\r\nSET reply:k 2\r\nGET reply:k\r\nCLIENT REPLY ON\r\nGET reply:k\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(c.readReplyBytes(), StandardCharsets.US_ASCII)).as("port " + port).isEqualTo("$1\r\n1\r\n");
                assertThat(new String(c.readReplyBytes(), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
                assertThat(new String(c.readReplyBytes(), StandardCharsets.US_ASCII)).isEqualTo("$1\r\n2\r\n");
            }
        }
    }

    @Test
    void clientTrackingCachingGetredirAndTrackinginfoAnswerAsRedisDoesByteForByte() throws Exception {
        List<List<String>> commands = List.of(
                List.of("CLIENT", "TRACKINGINFO"), List.of("CLIENT", "GETREDIR"), List.of("CLIENT", "CACHING", "yes"),
                List.of("CLIENT", "TRACKING", "maybe"), List.of("CLIENT", "TRACKING", "on", "PREFIX", "a"),
                List.of("CLIENT", "TRACKING", "on", "REDIRECT", "999999"),
                List.of("CLIENT", "TRACKING", "on", "REDIRECT", "abc"), List.of("CLIENT", "TRACKING", "on", "BCAST", "OPTIN"),
                List.of("CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"),
                List.of("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "ab", "PREFIX", "a"),
                List.of("CLIENT", "TRACKING", "on", "FOO"), List.of("CLIENT", "TRACKING", "on", "REDIRECT"),
                List.of("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "b:", "PREFIX", "a:", "NOLOOP"),
                List.of("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "b:x"), List.of("CLIENT", "TRACKING", "on"),
                List.of("CLIENT", "TRACKINGINFO"), List.of("CLIENT", "GETREDIR"), List.of("CLIENT", "CACHING", "yes"),
                List.of("CLIENT", "TRACKING", "off"), List.of("CLIENT", "TRACKINGINFO"),
                List.of("CLIENT", "TRACKING", "on", "OPTOUT"), List.of("CLIENT", "CACHING", "no"),
                List.of("CLIENT", "TRACKINGINFO"), List.of("CLIENT", "TRACKING", "on", "OPTIN"),
                List.of("CLIENT", "CACHING", "maybe"), List.of("CLIENT", "CACHING", "yes"), List.of("PING"),
                List.of("CLIENT", "TRACKINGINFO"), List.of("CLIENT", "TRACKING", "off"));
        for (String hello : List.of("2", "3")) {
            try (RawConnection viaGateway = new RawConnection(gateway.port());
                 RawConnection direct = new RawConnection(redis.port())) {
                viaGateway.call("HELLO", hello);
                direct.call("HELLO", hello);
                for (List<String> cmd : commands) {
                    String[] args = cmd.toArray(String[]::new);
                    viaGateway.send(cmd.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
                    direct.send(cmd.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
                    assertThat(new String(viaGateway.readReplyBytes(), StandardCharsets.UTF_8))
                            .as("RESP" + hello + " " + String.join(" ", args))
                            .isEqualTo(new String(direct.readReplyBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void clientListShowsTrackingFlagsAndTheRedirect() throws Exception {
        try (RawConnection redirect = new RawConnection(gateway.port());
             RawConnection tracker = new RawConnection(gateway.port())) {
            long id = ((io.rookery.protocol.RespValue.Integer) redirect.call("CLIENT", "ID")).value();
            tracker.call("CLIENT", "TRACKING", "on", "BCAST", "REDIRECT", Long.toString(id));
            String info = new String(((io.rookery.protocol.RespValue.BulkString) tracker.call("CLIENT", "INFO")).value(),
                    StandardCharsets.UTF_8);
            assertThat(info).contains(" flags=tB ").contains(" redir=" + id + " ");
            assertThat(RedisCli.run(gateway.port(), "INFO", "clients")).contains("tracking_clients:1");
        }
    }

    @Test
    void clientUnblockEndsABlockingPopWithItsTimeoutReplyOrWithAnError() throws Exception {
        int node = cluster.primaryOf(TrackingScenarios.slot("unblock:list"));
        try (RawConnection blocked = new RawConnection(gateway.port());
             RawConnection other = new RawConnection(gateway.port())) {
            String id = TrackingScenarios.call(blocked, "CLIENT", "ID");
            assertThat(TrackingScenarios.call(other, "CLIENT", "UNBLOCK", id)).isEqualTo("0"); // not blocked
            for (String reason : List.of("TIMEOUT", "ERROR")) {
                blocked.send(List.of("BLPOP".getBytes(), "unblock:list".getBytes(), "0".getBytes()));
                ClusterUnderTest.await("the pop to block on the node",
                        () -> RedisCli.run(node, "INFO", "clients").contains("blocked_clients:1"));
                assertThat(TrackingScenarios.call(other, "CLIENT", "UNBLOCK", id, reason)).isEqualTo("1");
                assertThat(new String(blocked.readReplyBytes(), StandardCharsets.UTF_8)).isEqualTo(reason.equals("TIMEOUT")
                        ? "*-1\r\n" : "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
            }
            assertThat(TrackingScenarios.call(blocked, "PING")).isEqualTo("PONG");
        }
    }

    /** CLIENT {@code args} sent by Lettuce, answered later. */
    private static RedisFuture<String> client(Lettuce l, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) {
            a.add(s);
        }
        return l.connection().async().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), a);
    }

    private Jedis connect() {
        Jedis j = new Jedis("127.0.0.1", gateway.port());
        j.ping();
        return j;
    }

    private void assertGone(Jedis j) {
        ClusterUnderTest.await("the killed client to leave the gateway", () -> {
            try {
                j.ping();
                return false;
            } catch (RuntimeException closed) {
                return true;
            }
        });
        j.close();
    }

    private static List<String> fieldNames(String line) {
        return Arrays.stream(line.trim().split(" ")).map(f -> f.substring(0, f.indexOf('='))).toList();
    }

    private static String field(String line, String name) {
        for (String f : line.trim().split(" ")) {
            if (f.startsWith(name + "=")) {
                return f.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }
}
