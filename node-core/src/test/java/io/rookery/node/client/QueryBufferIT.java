package io.rookery.node.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** CLIENT LIST and CLIENT INFO report the query buffer as Redis does: qbuf and qbuf-free. */
class QueryBufferIT {
    private static final Pattern QBUF = Pattern.compile("qbuf=(\\d+) qbuf-free=(\\d+)");

    @Test
    void clientInfoCountsTheRunningCommandInQbuf() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            long[] q = qbuf(((RespValue.BulkString) raw.call("CLIENT", "INFO")).text());
            assertThat(q[0]).as("*2\\r\\n$6\\r\\nCLIENT\\r\\n$4\\r\\nINFO\\r\\n").isEqualTo(26);
            assertThat(q[0] + q[1]).isEqualTo(16 * 1024);
        }
    }

    @Test
    void aBigArgumentGrowsTheBufferSeenByOtherClients() throws Exception {
        try (TestNode node = TestNode.start(QueryBufferIT::debugOn); RawConnection big = new RawConnection(node.port());
             RawConnection observer = new RawConnection(node.port())) {
            observer.call("DEBUG", "PAUSE-CRON", "1"); // the cron trims the buffer once the peak is gone
            big.call("CLIENT", "SETNAME", "big");
            big.call("SET", "x", "A".repeat(400_000));
            String list = ((RespValue.BulkString) observer.call("CLIENT", "LIST")).text();
            String line = list.lines().filter(l -> l.contains("name=big ")).findFirst().orElseThrow();
            long[] q = qbuf(line);
            assertThat(q[0]).isZero();
            assertThat(q[0] + q[1]).isGreaterThan(32 * 1024);
        }
    }

    private static void debugOn(io.rookery.node.config.NodeConfig c) {
        try {
            c.load("enable-debug-command", "yes");
        } catch (io.rookery.node.config.ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] qbuf(String line) {
        Matcher m = QBUF.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
