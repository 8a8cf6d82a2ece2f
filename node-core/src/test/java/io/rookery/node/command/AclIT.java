package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACL users: SETUSER rules, AUTH as a user, WHOAMI, RESET back to default, NOPERM, LIST and DELUSER. */
class AclIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static String call(RawConnection c, String... args) throws IOException {
        RespValue v = c.call(args);
        if (v instanceof RespValue.BulkString b) {
            return new String(b.value(), StandardCharsets.UTF_8);
        } else if (v instanceof RespValue.SimpleString s) {
            return s.value();
        } else if (v instanceof RespValue.Error e) {
            return e.message();
        } else if (v instanceof RespValue.Integer i) {
            return Long.toString(i.value());
        } else if (v instanceof RespValue.Array a) {
            return a.elements().stream().map(x -> new String(((RespValue.BulkString) x).value(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("|"));
        }
        return v.toString();
    }

    @Test
    @DisplayName("a connection authenticated as an ACL user is back to default after RESET")
    void authAsUserThenReset() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            assertThat(call(c, "ACL", "SETUSER", "alice", "on", ">secret", "+@all", "~*")).isEqualTo("OK");
            assertThat(call(c, "AUTH", "alice", "wrong")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
            assertThat(call(c, "AUTH", "alice", "secret")).isEqualTo("OK");
            assertThat(call(c, "ACL", "WHOAMI")).isEqualTo("alice");
            assertThat(call(c, "CLIENT", "INFO")).contains(" user=alice ");
            assertThat(call(c, "SET", "acl:k", "v")).isEqualTo("OK");
            assertThat(call(c, "RESET")).isEqualTo("RESET");
            assertThat(call(c, "ACL", "WHOAMI")).isEqualTo("default");
        }
    }

    @Test
    @DisplayName("a user without permissions gets NOPERM, and a disabled user cannot log in")
    void permissionsAreEnforced() throws Exception {
        try (RawConnection admin = new RawConnection(node.port()); RawConnection c = new RawConnection(node.port())) {
            call(admin, "ACL", "SETUSER", "bob", "on", "nopass");
            assertThat(call(c, "AUTH", "bob", "anything")).isEqualTo("OK");
            assertThat(call(c, "GET", "x")).isEqualTo("NOPERM this user has no permissions to run the 'get' command");
            call(admin, "ACL", "SETUSER", "bob", "+@all");
            assertThat(call(c, "GET", "x")).isEqualTo("NOPERM this user has no permissions to access one of the keys used as arguments");
            assertThat(call(c, "PING")).isEqualTo("PONG");
            call(admin, "ACL", "SETUSER", "bob", "off");
            assertThat(call(c, "AUTH", "bob", "anything")).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    @Test
    @DisplayName("ACL LIST shows users in config format, bad rules are refused, DELUSER closes the user's connections")
    void listRefuseAndDelete() throws Exception {
        try (RawConnection admin = new RawConnection(node.port()); RawConnection c = new RawConnection(node.port())) {
            call(admin, "ACL", "SETUSER", "carol", "on", ">pw", "~*", "+@all");
            assertThat(call(admin, "ACL", "LIST")).contains(
                    "user carol on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all",
                    "user default on nopass ~* &* +@all");
            assertThat(call(admin, "ACL", "SETUSER", "carol", "bogus")).isEqualTo("ERR Error in ACL SETUSER modifier 'bogus': Syntax error");
            assertThat(call(c, "AUTH", "carol", "pw")).isEqualTo("OK");
            assertThat(call(admin, "ACL", "USERS")).contains("carol");
            assertThat(call(admin, "ACL", "DELUSER", "carol", "nosuch")).isEqualTo("1");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }
}
