package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.NodeProcess;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.node.support.TmpfsMount;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses to start, as Redis does, rather than start on an AOF it cannot trust: a manifest
 * naming a file that is gone, or an AOF directory it cannot write. The process exits non-zero with
 * Redis's text naming what is wrong and writes nothing.
 */
class AofStartupRefusalIT {

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p) + (Files.isRegularFile(p) ? " " + size(p) : "")).sorted().toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An AOF directory with a base and an increment holding writes. */
    private static void writeAof(Path dir) throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            while (!((RespValue.BulkString) c.call("INFO", "persistence")).text().contains("aof_rewrite_in_progress:0")) {
                Thread.sleep(10);
            }
            for (int i = 0; i < 10; i++) {
                c.call("SET", "k" + i, "v" + i);
            }
        }
    }

    @Test
    void aManifestNamingAMissingIncrementRefusesToStartNamingTheFileAndWritesNothing(@TempDir Path dir) throws Exception {
        writeAof(dir);
        String incr;
        try (Stream<Path> s = Files.list(dir.resolve("appendonlydir"))) {
            incr = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".incr.aof")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        Files.delete(dir.resolve("appendonlydir").resolve(incr));
        List<String> before = tree(dir);

        try (NodeProcess node = NodeProcess.start(List.of(), "dir", dir.toString(), "appendonly", "yes",
                "save", "3600 1")) {
            assertThat(node.exitCode(30)).as("exit code of a node whose AOF lost a file").isNotZero();
            assertThat(node.output()).contains("Unable to obtain the AOF file " + incr + " length. stat: No such file or directory");
        }
        assertThat(tree(dir)).as("files after the refused start").isEqualTo(before);
    }

    @Test
    void aManifestNamingAMissingBaseRefusesToStartNamingTheFile(@TempDir Path dir) throws Exception {
        writeAof(dir);
        String base;
        try (Stream<Path> s = Files.list(dir.resolve("appendonlydir"))) {
            base = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".base.")).findFirst().orElseThrow();
        }
        Files.delete(dir.resolve("appendonlydir").resolve(base));
        List<String> before = tree(dir);

        try (NodeProcess node = NodeProcess.start(List.of(), "dir", dir.toString(), "appendonly", "yes")) {
            assertThat(node.exitCode(30)).isNotZero();
            assertThat(node.output()).contains("Unable to obtain the AOF file " + base + " length. stat: No such file or directory");
        }
        assertThat(tree(dir)).isEqualTo(before);
    }

    @Test
    void aofOnAReadOnlyDirectoryRefusesToStart(@TempDir Path base) throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount(base, "ro", "64k").readOnly();
             NodeProcess node = NodeProcess.start(List.of(), "dir", disk.dir().toString(), "appendonly", "yes")) {
            assertThat(node.exitCode(30)).as("exit code of a node that cannot write its AOF").isNotZero();
            assertThat(node.output()).contains("Can't open or create append-only dir appendonlydir: Read-only file system");
        }
    }

    @Test
    void anExistingAofOnAFileSystemThatTurnedReadOnlyRefusesToStart(@TempDir Path base) throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount(base, "ro", "1m")) {
            writeAof(disk.dir());
            disk.readOnly();
            try (NodeProcess node = NodeProcess.start(List.of(), "dir", disk.dir().toString(), "appendonly", "yes")) {
                assertThat(node.exitCode(30)).isNotZero();
                assertThat(node.output()).containsPattern("Can't open the append-only file appendonly\\.aof\\.\\d+\\.incr\\.aof: Read-only file system");
            }
        }
    }

    @Test
    void anAofDirectoryNameTakenByAFileRefusesToStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("appendonlydir"), "not a directory");
        try (NodeProcess node = NodeProcess.start(List.of(), "dir", dir.toString(), "appendonly", "yes")) {
            assertThat(node.exitCode(30)).isNotZero();
            assertThat(node.output()).contains("Can't open or create append-only dir appendonlydir: Not a directory");
        }
    }

    @Test
    void configSetAppendonlyOnAReadOnlyDirectoryFailsAndLeavesItOff(@TempDir Path base) throws Exception {
        try (TmpfsMount disk = TmpfsMount.mount(base, "ro", "64k").readOnly();
             TestNode node = TestNode.start(c -> {
                 try {
                     c.load("dir", disk.dir().toString());
                 } catch (ConfigException e) {
                     throw new IllegalStateException(e);
                 }
             }); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("CONFIG", "SET", "appendonly", "yes")).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs."));
            assertThat(c.call("CONFIG", "GET", "appendonly")).isEqualTo(new RespValue.Array(List.of(
                    new RespValue.BulkString("appendonly".getBytes()), new RespValue.BulkString("no".getBytes()))));
            assertThat(((RespValue.BulkString) c.call("INFO", "persistence")).text()).contains("aof_enabled:0");
        }
    }
}
