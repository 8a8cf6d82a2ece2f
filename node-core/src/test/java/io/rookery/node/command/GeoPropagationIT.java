package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.config.ConfigException;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GEOADD reaches the AOF (and replicas) as the ZADD Redis turns it into, and only when it changed something. */
class GeoPropagationIT {

    @Test
    void geoaddIsAppendedAsZaddWithTheGeohashScores(@TempDir Path dir) throws Exception {
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
            c.call("GEOADD", "Sicily", "CH", "13.361389", "38.115556", "Palermo");
            c.call("GEOADD", "Sicily", "NX", "13.361389", "38.115556", "Palermo");
            c.call("PFADD", "visitors", "a");
            c.call("PING");
        }
        String aof = Files.readString(dir.resolve("appendonlydir").resolve("appendonly.aof.2.incr.aof"), StandardCharsets.ISO_8859_1);
        assertThat(aof).doesNotContainIgnoringCase("geoadd");
        String zadd = "*5\r\n$4\r\nzadd\r\n$6\r\nSicily\r\n$2\r\nCH\r\n$16\r\n3479099956230698\r\n$7\r\nPalermo\r\n";
        assertThat(aof).contains(zadd);
        assertThat(aof.indexOf(zadd)).as("the NX that changed nothing is not appended").isEqualTo(aof.lastIndexOf(zadd));
        assertThat(aof).doesNotContain("$2\r\nNX\r\n");
        assertThat(aof).contains("*3\r\n$5\r\nPFADD\r\n$8\r\nvisitors\r\n$1\r\na\r\n");
    }
}
