package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACL LOG, selectors, DRYRUN and channel revocation through Lettuce, with Redis 7.0's texts and
 * reply shapes.
 */
class AclLogIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static Lettuce as(String user, String password) {
        return Lettuce.connect(RedisURI.builder().withHost("127.0.0.1").withPort(node.port())
                .withAuthentication(user, password.toCharArray()).build(), ProtocolVersion.RESP2);
    }

    private static String acl(RedisCommands<String, String> r, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) {
            a.add(s);
        }
        return r.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), a);
    }

    @Test
    void refusedCommandsKeysAndAuthAttemptsAreLoggedWithRedisFields() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            r.aclLogReset();
            acl(r, "SETUSER", "logged", "on", ">pw", "+set", "+client", "~object:*"); // Lettuce sends CLIENT SETINFO
            try (Lettuce user = as("logged", "pw")) {
                assertThatThrownBy(() -> user.sync().get("foo")).hasMessage("NOPERM this user has no permissions to run the 'get' command");
                assertThatThrownBy(() -> user.sync().get("foo")).hasMessageStartingWith("NOPERM");
                assertThatThrownBy(() -> user.sync().set("elsewhere", "1")).hasMessageStartingWith("NOPERM");
            }
            assertThatThrownBy(() -> r.auth("logged", "wrong")).hasMessageStartingWith("WRONGPASS");

            List<Map<String, Object>> log = r.aclLog();
            assertThat(log).hasSize(3);
            Map<String, Object> auth = log.get(0);
            assertThat(auth).containsEntry("reason", "auth").containsEntry("context", "toplevel")
                    .containsEntry("username", "logged").containsKeys("age-seconds", "client-info");
            assertThat(((String) auth.get("object")).toUpperCase()).isEqualTo("AUTH");
            assertThat(log.get(1)).containsEntry("reason", "key").containsEntry("object", "elsewhere");
            assertThat(log.get(2)).containsEntry("reason", "command").containsEntry("object", "get").containsEntry("count", 2L);
            assertThat((String) log.get(2).get("client-info")).startsWith("id=");
            assertThat(r.aclLog(1)).hasSize(1);
            assertThat(r.aclLogReset()).isEqualTo("OK");
            assertThat(r.aclLog()).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void selectorsAreShownByGetuserAndDryrunNamesTheRefusedKey() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            acl(r, "SETUSER", "sel", "-@all", "+get", "resetchannels", "&channel1", "%R~foo1", "%W~bar1", "~baz1",
                    "(-@all +set resetchannels &channel2 %R~foo2 %W~bar2 ~baz2)");
            List<Object> user = r.aclGetuser("sel");
            Map<String, Object> fields = new java.util.HashMap<>();
            for (int i = 0; i < user.size(); i += 2) {
                fields.put((String) user.get(i), user.get(i + 1));
            }
            assertThat(fields).containsEntry("keys", "%R~foo1 %W~bar1 ~baz1").containsEntry("channels", "&channel1")
                    .containsEntry("commands", "-@all +get");
            List<Object> selector = (List<Object>) ((List<?>) fields.get("selectors")).get(0);
            assertThat(selector).containsExactly("commands", "-@all +set", "keys", "%R~foo2 %W~bar2 ~baz2",
                    "channels", "&channel2");
            assertThat(acl(r, "DRYRUN", "sel", "GET", "foo1")).isEqualTo("OK");
            assertThat(acl(r, "DRYRUN", "sel", "SET", "foo2", "v")).isEqualTo("This user has no permissions to access the 'foo2' key");
            assertThat(acl(r, "DRYRUN", "sel", "DEL", "x")).isEqualTo("This user has no permissions to run the 'del' command");
        }
    }

    @Test
    void aSubscriberIsDisconnectedWhenItsChannelIsRevoked() throws Exception {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            acl(r, "SETUSER", "listener", "on", ">pw", "+@all", "resetchannels", "&news");
            var sub = io.lettuce.core.RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(node.port())
                    .withAuthentication("listener", "pw".toCharArray()).build());
            try {
                var conn = sub.connectPubSub();
                conn.sync().clientSetname("deathrow");
                conn.sync().subscribe("news");
                assertThat(r.clientList()).contains("name=deathrow");
                acl(r, "SETUSER", "listener", "resetchannels");
                Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
                while (r.clientList().contains("name=deathrow") && Instant.now().isBefore(deadline)) {
                    Thread.sleep(20);
                }
                assertThat(r.clientList()).doesNotContain("name=deathrow");
            } finally {
                sub.shutdown();
            }
        }
    }

    @Test
    void memoryStatsAndDoctorAnswerWithRedisShapes() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            r.set("memory:probe", "x");
            List<Object> stats = r.dispatch(CommandType.MEMORY, new io.lettuce.core.output.ArrayOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("STATS"));
            List<Object> names = new java.util.ArrayList<>();
            for (int i = 0; i < stats.size(); i += 2) {
                names.add(stats.get(i));
            }
            assertThat(names).startsWith("peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                    "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches");
            assertThat(names).contains("db.0", "keys.count", "dataset.bytes", "allocator.allocated", "fragmentation.bytes");
            assertThat(names.get(names.size() - 2)).isEqualTo("fragmentation");
            String doctor = r.dispatch(CommandType.MEMORY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("DOCTOR"));
            assertThat(doctor).startsWith("Hi Sam");
            assertThat(r.dispatch(CommandType.MEMORY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("MALLOC-STATS"))).isEqualTo("Stats not supported for the current allocator");
        }
    }
}
