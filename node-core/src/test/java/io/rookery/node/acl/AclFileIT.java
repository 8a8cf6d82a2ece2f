package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aclfile}: users loaded at start, ACL SAVE and ACL LOAD in Redis's file format and error texts. */
class AclFileIT {
    @TempDir
    Path dir;

    private static String acl(RedisCommands<String, String> r, String... args) {
        CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8);
        for (String s : args) {
            a.add(s);
        }
        return r.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), a);
    }

    private TestNode start() {
        return TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("aclfile", "users.acl");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void usersComeFromTheFileAtStartAndAclSaveAndLoadRoundTrip() throws Exception {
        Files.writeString(dir.resolve("users.acl"), "user alice on allcommands allkeys &* >alice\n"
                + "user bob on -@all +@set +acl ~set* &* >bob\n\nuser default on nopass ~* &* +@all\n");
        try (TestNode node = start(); Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            assertThat(r.aclUsers()).containsExactly("alice", "bob", "default");
            acl(r, "SETUSER", "carol", "on", ">c", "+get", "~c:*", "(+set ~w:*)");
            assertThat(acl(r, "SAVE")).isEqualTo("OK");
            assertThat(Files.readAllLines(dir.resolve("users.acl"))).contains(
                    "user bob on #" + AclUser.sha256Hex("bob".getBytes()) + " ~set* &* -@all +@set +acl",
                    "user carol on #" + AclUser.sha256Hex("c".getBytes()) + " ~c:* resetchannels -@all +get (~w:* resetchannels -@all +set)");
            r.aclDeluser("carol");
            assertThat(acl(r, "LOAD")).isEqualTo("OK");
            assertThat(r.aclUsers()).containsExactly("alice", "bob", "carol", "default");
        }
    }

    @Test
    void aBrokenFileLeavesTheUsersAsTheyWereWithRedisErrors() throws Exception {
        Files.writeString(dir.resolve("users.acl"), "user alice on >alice +@all\n");
        try (TestNode node = start(); Lettuce admin = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            RedisCommands<String, String> r = admin.sync();
            Files.writeString(dir.resolve("users.acl"), "user alice on +nosuchcommand\nuser alice on\nnotauser x\n");
            assertThatThrownBy(() -> acl(r, "LOAD")).hasMessage("ERR users.acl:1: Error in applying operation "
                    + "'+nosuchcommand': Unknown command or category name in ACL. WARNING: Duplicate user 'alice' found "
                    + "on line 2. users.acl:3 should start with user keyword followed by the username. WARNING: ACL "
                    + "errors detected, no change to the previously active ACL rules was performed");
            assertThat(r.aclUsers()).containsExactly("alice", "default");
        }
    }
}
