package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.protocol.command.CommandSpec;
import io.rookery.protocol.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACL users, selectors and their descriptions as Redis 7.0's acl.c computes them, without a node. */
class AclUsersTest {
    private final CommandTable table = CommandTable.standard();
    private final AclUsers acl = new AclUsers(table, () -> "",
            Map.of("acllog-max-len", "128", "acl-pubsub-default", "resetchannels")::get);

    private String set(String name, String... rules) {
        return acl.setUser(name, List.of(rules), List.of(), new ArrayList<>());
    }

    private AclUsers.Refusal refusal(String user, String... command) {
        byte[][] args = new byte[command.length][];
        for (int i = 0; i < command.length; i++) {
            args[i] = command[i].getBytes(StandardCharsets.UTF_8);
        }
        CommandSpec spec = table.lookup(command[0]);
        if (spec.isContainer()) {
            spec = spec.subcommands().get(command[1].toLowerCase());
        }
        return acl.refusal(user, spec, args);
    }

    @Test
    void commandRulesAreDescribedFromThePermissionsNotFromTheRulesTyped() {
        assertThat(set("u", "reset", "+@all", "-@string")).isNull();
        assertThat(acl.user("u").selectorFields(table).get(0)[0]).isEqualTo("+@all -@string");
        assertThat(set("u", "reset", "-@all", "+@hash")).isNull();
        assertThat(acl.user("u").selectorFields(table).get(0)[0]).isEqualTo("-@all +@hash");
        assertThat(set("bob", "+memory|doctor")).isNull();
        assertThat(acl.user("bob").selectorFields(table).get(0)[0]).isEqualTo("-@all +memory|doctor");
        assertThat(set("bob", "+memory")).isNull();
        assertThat(acl.user("bob").selectorFields(table).get(0)[0]).isEqualTo("-@all +memory");
        assertThat(set("bob", "+@all", "+client|id")).isNull();
        assertThat(acl.user("bob").selectorFields(table).get(0)[0]).isEqualTo("+@all");
        assertThat(set("sel", "-@all", "+select|0")).isNull();
        assertThat(acl.user("sel").selectorFields(table).get(0)[0]).isEqualTo("-@all +select|0");
    }

    @Test
    void aclListDescribesFlagsPasswordsKeysChannelsAndSelectors() {
        assertThat(set("hp", "on", "nopass", "resetchannels", "&foo", "+@all")).isNull();
        assertThat(acl.describe(acl.user("hp"))).isEqualTo("on nopass resetchannels &foo +@all");
        assertThat(set("rw", "%R~foo", "%W~foo", "%RW~bar", "(+get ~k*)")).isNull();
        assertThat(acl.describe(acl.user("rw"))).isEqualTo("off ~foo ~bar resetchannels -@all (~k* resetchannels -@all +get)");
        assertThat(set("r", "reset")).isNull();
        assertThat(acl.describe(acl.user("r"))).isEqualTo("off sanitize-payload resetchannels -@all");
    }

    @Test
    void aSelectorSpreadOverArgumentsIsJoinedAndAnOpenOneIsRefused() {
        assertThat(set("s", "(~key5", "+get", ")", "( ~key6 +get )")).isNull();
        assertThat(acl.user("s").selectorFields(table)).extracting(f -> f[1]).containsExactly("", "~key5", "~key6");
        assertThat(set("bad", "(")).isEqualTo("ERR Unmatched parenthesis in acl selector starting at '('.");
        assertThat(set("bad", "(this-is-invalid)")).isEqualTo("ERR Error in ACL SETUSER modifier '(this-is-invalid)': Syntax error");
        assertThat(set("bad", "(&* &fail)")).startsWith("ERR Error in ACL SETUSER modifier '(&* &fail)': Adding a pattern after the *");
        assertThat(acl.user("bad")).isNull();
    }

    @Test
    void keysAreCheckedWithTheAccessTheirKeySpecAsks() {
        assertThat(set("k", "on", "nopass", "+@all", "%R~read*", "%W~write*", "%RW~rw*")).isNull();
        assertThat(refusal("k", "GET", "read")).isNull();
        assertThat(refusal("k", "GET", "write")).isEqualTo(new AclUsers.Refusal(AclUsers.Denial.KEY, 1));
        assertThat(refusal("k", "LPUSH", "write", "1")).isNull();
        assertThat(refusal("k", "COPY", "read", "write")).isNull();
        assertThat(refusal("k", "COPY", "write", "read")).isEqualTo(new AclUsers.Refusal(AclUsers.Denial.KEY, 1));
        assertThat(refusal("k", "HEXISTS", "write", "f")).isNull(); // existence tests are not reads
        assertThat(refusal("k", "SET", "write", "v", "GET")).isEqualTo(new AclUsers.Refusal(AclUsers.Denial.KEY, 1));
        assertThat(refusal("k", "MIGRATE", "h", "p", "", "0", "5000", "AUTH2", "KEYS", "123", "KEYS", "read"))
                .isEqualTo(new AclUsers.Refusal(AclUsers.Denial.KEY, 10));
        assertThat(refusal("k", "EVAL", "", "0", "read")).isNull();
    }

    @Test
    void aCommandRunsWhenOneSelectorAllowsItWholeAndTheMostRelevantRefusalIsReported() {
        assertThat(set("m", "on", "nopass", "+mget", "~key", "(+mget ~key ~otherkey)")).isNull();
        assertThat(refusal("m", "MGET", "key", "otherkey")).isNull();
        assertThat(refusal("m", "GET", "key")).isEqualTo(new AclUsers.Refusal(AclUsers.Denial.COMMAND, 0));
        assertThat(refusal("m", "MGET", "key", "otherkey", "someotherkey"))
                .isEqualTo(new AclUsers.Refusal(AclUsers.Denial.KEY, 3));
        assertThat(set("c", "on", "nopass", "+@all", "resetchannels", "&channel")).isNull();
        assertThat(refusal("c", "SPUBLISH", "channel", "x")).isNull();
        assertThat(refusal("c", "SSUBSCRIBE", "channel", "other")).isEqualTo(new AclUsers.Refusal(AclUsers.Denial.CHANNEL, 2));
    }

    @Test
    void theAclLogGroupsLikeRefusalsAndKeepsAtMostItsLength() {
        AclLog log = new AclLog(() -> 3);
        log.add(AclLog.Reason.COMMAND, AclLog.Context.TOPLEVEL, "get", "u", "id=1");
        log.add(AclLog.Reason.COMMAND, AclLog.Context.TOPLEVEL, "get", "u", "id=2");
        assertThat(log.newest(10)).hasSize(1);
        assertThat(log.newest(10).get(0).count).isEqualTo(2);
        assertThat(log.newest(10).get(0).clientInfo).isEqualTo("id=2");
        for (int i = 0; i < 5; i++) {
            log.add(AclLog.Reason.KEY, AclLog.Context.MULTI, "k" + i, "u", "id=1");
        }
        assertThat(log.newest(10)).extracting(e -> e.object).containsExactly("k4", "k3", "k2");
        log.reset();
        assertThat(log.newest(10)).isEmpty();
    }
}
