package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.protocol.command.CommandTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading ACL files in Redis's format, without a node. */
class AclFileTest {
    @TempDir
    Path dir;

    @Test
    void selectorsMaySpanWordsAndBlankLinesAreSkipped() throws Exception {
        Path f = dir.resolve("u.acl");
        Files.writeString(f, "user alice on (+get ~rw*) (+set ~w*)\n\n   \nuser bob off\n");
        Map<String, AclUser> users = AclFile.read(f, "u.acl", CommandTable.standard(), false);
        assertThat(users).containsOnlyKeys("alice", "bob");
        assertThat(users.get("alice").selectors).hasSize(3);
    }

    @Test
    void aMissingFileIsReportedAsRedisDoes() {
        assertThatThrownBy(() -> AclFile.read(dir.resolve("none.acl"), "none.acl", CommandTable.standard(), false))
                .hasMessage("Error loading ACLs, opening file 'none.acl': No such file or directory");
    }
}
