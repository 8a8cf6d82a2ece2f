package io.rookery.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory that fills up (a 256 KB tmpfs): saves fail with a clear error and writes are
 * refused with MISCONF instead of being acknowledged and lost. Needs root to mount the tmpfs, as the
 * CI machine runs.
 */
class FullDiskIT {
    @TempDir
    Path base;
    private Path mounted;

    private Path tinyDisk() throws Exception {
        Path dir = Files.createDirectory(base.resolve("tiny"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("this test mounts a small tmpfs to fill a disk and needs root: " + out);
        }
        mounted = dir;
        return dir;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String info(RawConnection c) throws Exception {
        return ((RespValue.BulkString) c.call("INFO", "persistence")).text();
    }

    @Test
    void snapshotsIntoAFullDirectoryFailClearlyAndStopWrites() throws Exception {
        Path dir = tinyDisk();
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "3600 1");
                c.load("rdbcompression", "no");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 100; i++) {
                c.call("SET", "k" + i, "x".repeat(10_000)); // ~1 MB: more than the disk holds
            }
            RespValue save = c.call("SAVE");
            assertThat(save).isInstanceOf(RespValue.Error.class);
            assertThat(((RespValue.Error) save).message()).containsIgnoringCase("no space left");
            c.call("BGSAVE");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!info(c).contains("rdb_last_bgsave_status:err") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(info(c)).contains("rdb_last_bgsave_status:err");
            assertThat(c.call("SET", "more", "x")).isInstanceOf(RespValue.Error.class);
            assertThat(c.call("GET", "k99")).isInstanceOf(RespValue.BulkString.class);
            try (var files = Files.list(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("temp-")).toList())
                        .as("no half-written temporary files are left behind").isEmpty();
            }
        }
    }

    @Test
    void anAofThatCannotBeWrittenRefusesWritesAndKeepsWhatWasAcknowledged() throws Exception {
        Path dir = tinyDisk();
        long acknowledged = 0;
        RespValue refused = null;
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("save", "");
                c.load("appendonly", "yes");
                c.load("appendfsync", "always");
                c.load("auto-aof-rewrite-percentage", "0");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            for (int i = 0; i < 1000 && refused == null; i++) {
                RespValue r;
                try {
                    r = c.call("SET", "k" + i, "x".repeat(1000));
                } catch (java.io.IOException closed) {
                    break; // the batch that could not be made durable got no acknowledgement
                }
                if (r instanceof RespValue.SimpleString) {
                    acknowledged++;
                } else {
                    refused = r;
                }
            }
        }
        assertThat(acknowledged).isBetween(10L, 999L);
        if (refused != null) {
            assertThat(((RespValue.Error) refused).message()).startsWith("MISCONF Errors writing to the AOF file");
        }
        Path copy = Files.createDirectory(base.resolve("copy"));
        Path aofDir = Files.createDirectory(copy.resolve("appendonlydir"));
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            for (Path f : files.toList()) {
                Files.copy(f, aofDir.resolve(f.getFileName()));
            }
        }
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("dir", copy.toString());
                c.load("appendonly", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection c = new RawConnection(node.port())) {
            for (long i = 0; i < acknowledged; i++) {
                assertThat(c.call("EXISTS", "k" + i)).as("acknowledged k" + i).isEqualTo(new RespValue.Integer(1));
            }
        }
    }
}
