package io.rookery.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shapes writes take in the AOF (the replication stream shares the encoder), as Redis 7.0 writes
 * them: GETDEL as DEL, lazy expiry under SCAN/RANDOMKEY as bare DELs, SELECT before MULTI.
 */
class PropagationShapesIT {

    private static TestNode aofNode(Path dir) {
        return TestNode.start(c -> {
            try {
                c.load("dir", dir.toString());
                c.load("appendonly", "yes");
                c.load("appendfsync", "always");
                c.load("enable-debug-command", "yes");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String aof(Path dir) throws Exception {
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(f -> f.getFileName().toString().endsWith(".incr.aof")).findFirst()
                    .orElseThrow(() -> new AssertionError("no incr AOF in " + dir));
            return Files.readString(incr, StandardCharsets.ISO_8859_1);
        }
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void getdelIsAppendedAsDel(@TempDir Path dir) throws Exception {
        try (TestNode node = aofNode(dir); RawConnection c = new RawConnection(node.port())) {
            c.call("SET", "foo", "bar");
            c.call("GETDEL", "foo");
            c.call("GETDEL", "missing");
        }
        assertThat(aof(dir)).contains(resp("DEL", "foo")).doesNotContainIgnoringCase("getdel").doesNotContain("missing");
    }

    @Test
    void keysScanAndRandomkeyExpireAreAppendedAsBareDels(@TempDir Path dir) throws Exception {
        try (TestNode node = aofNode(dir); RawConnection c = new RawConnection(node.port())) {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            c.call("SET", "foo1", "bar", "PX", "1");
            c.call("SET", "foo2", "bar", "PX", "1");
            Thread.sleep(5);
            c.call("SCAN", "0");
            c.call("SET", "foo3", "bar", "PX", "1");
            c.call("SET", "foo4", "bar", "PX", "1");
            Thread.sleep(5);
            c.call("RANDOMKEY");
        }
        String aof = aof(dir);
        for (String k : new String[] {"foo1", "foo2", "foo3", "foo4"}) {
            assertThat(aof).contains(resp("DEL", k));
        }
        assertThat(aof).doesNotContain(resp("MULTI"));
    }

    @Test
    void selectComesBeforeMulti(@TempDir Path dir) throws Exception {
        try (TestNode node = aofNode(dir); RawConnection c = new RawConnection(node.port())) {
            c.call("SELECT", "3");
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            c.call("EXEC");
        }
        assertThat(aof(dir)).contains(resp("SELECT", "3") + resp("MULTI") + resp("SET", "a", "1") + resp("SET", "b", "2")
                + resp("EXEC"));
    }

    @Test
    void publishStaysOutOfTheAofAndFlushdbOfAnEmptyDatabaseGoesIn(@TempDir Path dir) throws Exception {
        try (TestNode node = aofNode(dir); RawConnection c = new RawConnection(node.port())) {
            c.call("PUBLISH", "news", "hello");
            c.call("SELECT", "5");
            c.call("FLUSHDB");
        }
        assertThat(aof(dir)).doesNotContainIgnoringCase("publish").contains(resp("SELECT", "5") + resp("FLUSHDB"));
    }
}
