package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACL users through Lettuce: a user limited to {@code app:*} keys and a few commands authenticates,
 * gets NOPERM elsewhere with Redis's texts, and scripts it runs are held to the same permissions.
 */
class AclIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static Lettuce as(String user, String password) {
        return Lettuce.connect(RedisURI.builder().withHost("127.0.0.1").withPort(node.port())
                .withAuthentication(user, password.toCharArray()).build(), ProtocolVersion.RESP2);
    }

    @Test
    void aUserLimitedToItsKeysGetsNopermForOtherKeysAndCommands() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            setuser(admin.sync(), "app", "on", ">pw", "~app:*", "+get", "+set", "+acl|whoami");
        }
        try (Lettuce app = as("app", "pw")) {
            RedisCommands<String, String> r = app.sync();
            assertThat(r.aclWhoami()).isEqualTo("app");
            assertThat(r.set("app:1", "v")).isEqualTo("OK");
            assertThat(r.get("app:1")).isEqualTo("v");
            assertThatThrownBy(() -> r.set("other", "v"))
                    .hasMessage("NOPERM this user has no permissions to access one of the keys used as arguments");
            assertThatThrownBy(() -> r.del("app:1"))
                    .hasMessage("NOPERM this user has no permissions to run the 'del' command");
        }
    }

    @Test
    void wrongPasswordsAndDisabledUsersAreRefused() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            setuser(r, "sleepy", "off", ">pw", "+@all", "~*");
            assertThatThrownBy(() -> r.auth("sleepy", "pw"))
                    .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
            assertThatThrownBy(() -> r.auth("nobody", "pw"))
                    .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
            assertThat(r.aclWhoami()).isEqualTo("default");
        }
    }

    @Test
    void aclListGetuserAndDryrunDescribeUsersAsRedisDoes() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            setuser(r, "bob", "on", ">123", "+@scripting", "+set", "~x*", "%R~r*", "&ch*");
            assertThat(r.aclList()).contains("user bob on #a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3"
                    + " ~x* %R~r* resetchannels &ch* -@all +@scripting +set", "user default on nopass ~* &* +@all");
            List<Object> fields = r.aclGetuser("bob");
            Map<Object, Object> bob = new java.util.HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                bob.put(fields.get(i), fields.get(i + 1));
            }
            assertThat(bob.get("flags")).asList().containsExactly("on");
            assertThat(bob.get("keys")).isEqualTo("~x* %R~r*");
            assertThat(bob.get("channels")).isEqualTo("&ch*");
            assertThat(r.aclDryRun("bob", "set", "yy", "1"))
                    .isEqualTo("This user has no permissions to access the 'yy' key");
            assertThat(r.aclDryRun("bob", "get", "x1")).isEqualTo("This user has no permissions to run the 'get' command");
            assertThat(r.aclDryRun("bob", "set", "x1", "1")).isEqualTo("OK");
            assertThatThrownBy(() -> setuser(r, "x", "~*", "~a")).hasMessageStartingWith(
                    "ERR Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern (or the 'allkeys' flag)");
            assertThatThrownBy(() -> setuser(r, "x", "+nosuchcmd"))
                    .hasMessage("ERR Error in ACL SETUSER modifier '+nosuchcmd': Unknown command or category name in ACL");
            assertThat(r.aclUsers()).doesNotContain("x");
            assertThatThrownBy(() -> r.aclDeluser("default")).hasMessage("ERR The 'default' user cannot be removed");
            assertThat(r.aclDeluser("bob", "nope")).isEqualTo(1);
        }
    }

    @Test
    void scriptsRunWithTheCallersPermissions() {
        try (Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            setuser(admin.sync(), "scripter", "on", ">pw", "+@scripting", "+set", "~x*");
        }
        try (Lettuce s = as("scripter", "pw")) {
            RedisCommands<String, String> r = s.sync();
            Boolean allowed = r.eval("return redis.acl_check_cmd('set','xx',1)", ScriptOutputType.BOOLEAN, "xx");
            assertThat(allowed).isTrue();
            List<Object> denied = r.eval("return {redis.acl_check_cmd('hset','xx','f',1), redis.acl_check_cmd('set','yy',1)}",
                    ScriptOutputType.MULTI, "xx");
            assertThat(denied).containsExactly(null, null); // false converts to a nil reply
            assertThatThrownBy(() -> r.eval("return redis.acl_check_cmd('invalid-cmd','arg')", ScriptOutputType.VALUE))
                    .hasMessageStartingWith("ERR Invalid command passed to redis.acl_check_cmd()");
            assertThatThrownBy(() -> r.eval("return redis.call('hset','xx','f',1)", ScriptOutputType.VALUE, "xx"))
                    .hasMessageStartingWith("ERR The user executing the script can't run this command or subcommand");
            assertThatThrownBy(() -> r.eval("return redis.call('set','yy',1)", ScriptOutputType.VALUE))
                    .hasMessageStartingWith("ERR The user executing the script can't access at least one of the keys "
                            + "mentioned in the command arguments");
        }
    }

    private static void setuser(RedisCommands<String, String> r, String name, String... rules) {
        io.lettuce.core.protocol.CommandArgs<String, String> args =
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("SETUSER").add(name);
        for (String rule : rules) {
            args.add(rule);
        }
        r.dispatch(io.lettuce.core.protocol.CommandType.ACL,
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8), args);
    }
}
