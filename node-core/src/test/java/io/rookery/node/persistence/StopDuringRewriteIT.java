package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopDuringRewriteIT {

    /** Every file under {@code dir}, relative, as one listing. */
    private static String listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return String.join(" ", files.map(p -> dir.relativize(p).toString()).sorted().toList());
        }
    }

    @Test
    void aNodeStoppedDuringAnAofRewriteLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
        try (RawConnection c = new RawConnection(node.port())) {
            for (int batch = 0; batch < 300; batch++) { // written through the AOF, unlike DEBUG POPULATE
                String[] mset = new String[1 + 2 * 1000];
                mset[0] = "MSET";
                for (int i = 0; i < 1000; i++) {
                    mset[1 + 2 * i] = "key:" + (batch * 1000 + i);
                    mset[2 + 2 * i] = "value:" + (batch * 1000 + i);
                }
                c.call(mset);
            }
            c.call("BGREWRITEAOF");
            assertThat(((RespValue.BulkString) c.call("INFO", "persistence")).text()).contains("aof_rewrite_in_progress:1");
        }
        node.close(); // while the rewrite runs: Redis kills its rewriting child and removes the temp file

        assertThat(listing(dir)).doesNotContain("temp-");
        // what stays is a loadable AOF: the same keys come back
        TestNode again = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
        try (again; RawConnection c = new RawConnection(again.port())) {
            assertThat(c.call("DBSIZE")).isEqualTo(new RespValue.Integer(300000));
        }
    }
}
