package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A script's writes reach the AOF as their effects, wrapped in MULTI/EXEC, never as the EVAL itself. */
class ScriptPropagationIT {

    @Test
    void scriptWritesAreAppendedAsTheirEffectsInATransaction(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
                c.load("appendfsync", "always");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            c.call("EVAL", "redis.call('set', KEYS[1], 'v'); redis.call('incr', KEYS[2]); return redis.call('get', KEYS[1])",
                    "2", "a", "n");
            c.call("EVAL", "return redis.call('get', 'a')", "0");
            c.call("EVAL", "redis.call('set', 'only', '1')", "0");
            c.call("PING");
        }
        String aof = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.2.incr.aof"), StandardCharsets.ISO_8859_1);
        assertThat(aof).doesNotContainIgnoringCase("eval");
        int multi = aof.indexOf("*1\r\n$5\r\nMULTI\r\n");
        int set = aof.indexOf("*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nv\r\n");
        int incr = aof.indexOf("*2\r\n$4\r\nincr\r\n$1\r\nn\r\n");
        int exec = aof.indexOf("*1\r\n$4\r\nEXEC\r\n");
        assertThat(multi).isNotNegative();
        assertThat(set).isGreaterThan(multi);
        assertThat(incr).isGreaterThan(set);
        assertThat(exec).isGreaterThan(incr);
        assertThat(aof).contains("*3\r\n$3\r\nset\r\n$4\r\nonly\r\n$1\r\n1\r\n");
    }

    @Test
    void setReplChoosesWhetherAScriptsWritesReachTheAof(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
                c.load("appendfsync", "always");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            c.call("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set', 'none', '1'); "
                    + "redis.set_repl(redis.REPL_AOF); redis.call('set', 'aof', '1'); "
                    + "redis.set_repl(redis.REPL_REPLICA); redis.call('set', 'replica', '1'); "
                    + "redis.set_repl(redis.REPL_ALL); redis.call('set', 'all', '1')", "0");
            assertThat(c.call("MGET", "none", "aof", "replica", "all").toString())
                    .isEqualTo("Array[elements=[BulkString[1], BulkString[1], BulkString[1], BulkString[1]]]");
            assertThat(c.call("EVAL", "return redis.replicate_commands()", "0").toString()).isEqualTo("Integer[value=1]");
            assertThat(c.call("EVAL", "redis.set_repl(8)", "0").toString())
                    .contains("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            c.call("PING");
        }
        String aof = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.2.incr.aof"), StandardCharsets.ISO_8859_1);
        assertThat(aof).contains("$3\r\naof\r\n", "$3\r\nall\r\n").doesNotContain("$4\r\nnone\r\n", "replica");
    }
}
