package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server commands: INFO sections, SLOWLOG, COMMAND, TIME, SHUTDOWN, output buffer limits. */
class ServerCommandsIT {

    @Test
    void infoReportsSectionsWithRedisFieldNames() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            var r = l.sync();
            r.set("a", "1");
            r.setex("b", 100, "2");
            try {
                r.incr("a");
                r.hget("a", "x");
            } catch (RuntimeException expected) {
                // WRONGTYPE or unknown command: counted in errorstats
            }
            String info = r.info();
            assertThat(info).contains("# Server", "redis_version:7.0.15", "tcp_port:" + node.port(), "# Clients",
                    "connected_clients:1", "# Memory", "used_memory:", "maxmemory_policy:noeviction", "# Persistence",
                    "# Stats", "total_commands_processed:", "keyspace_hits:", "# Replication", "role:master",
                    "# CPU", "used_cpu_user:", "# Keyspace", "db0:keys=2,expires=1");
            assertThat(info).doesNotContain("# Commandstats");
            String all = r.info("all");
            assertThat(all).containsPattern("cmdstat_set:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=0");
            assertThat(all).containsPattern("errorstat_ERR:count=[1-9]");
            assertThat(r.info("keyspace")).startsWith("# Keyspace").doesNotContain("# Server");
        }
    }

    @Test
    void slowlogRecordsSlowCommandsWithClippedArguments() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            raw.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            raw.call("SLOWLOG", "RESET");
            raw.call("SET", "long", "x".repeat(200));
            RespValue log = raw.call("SLOWLOG", "GET", "1");
            RespValue.Array entry = (RespValue.Array) ((RespValue.Array) log).elements().get(0);
            assertThat(entry.elements()).hasSize(6);
            List<RespValue> args = ((RespValue.Array) entry.elements().get(3)).elements();
            assertThat(args.get(0)).isEqualTo(new RespValue.BulkString("SET".getBytes()));
            assertThat(((RespValue.BulkString) args.get(2)).text()).isEqualTo("x".repeat(128) + "... (72 more bytes)");
            assertThat(((RespValue.BulkString) entry.elements().get(4)).text()).startsWith("127.0.0.1:");
            assertThat(((RespValue.Integer) raw.call("SLOWLOG", "LEN")).value()).isGreaterThanOrEqualTo(2);
            raw.call("CONFIG", "SET", "slowlog-max-len", "1");
            assertThat(raw.call("SLOWLOG", "LEN")).isEqualTo(new RespValue.Integer(1));
        }
    }

    @Test
    void commandIntrospectionComesFromTheTable() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP3)) {
            var r = l.sync();
            long count = r.commandCount();
            assertThat(count).isEqualTo(node.node().parts().registry().table().size());
            var info = r.commandInfo("get", "nosuch");
            assertThat(info).hasSize(2);
            assertThat(info.get(0).toString()).contains("get", "readonly");
            assertThat(info.get(1)).isNull();
            var all = r.command();
            assertThat(all).hasSize((int) count);
        }
    }

    @Test
    void timeIsTheServerClock() {
        try (TestNode node = TestNode.start(); Lettuce l = Lettuce.connect(node.port(), ProtocolVersion.RESP2)) {
            List<String> time = l.sync().time();
            long seconds = Long.parseLong(time.get(0));
            assertThat(seconds).isBetween(System.currentTimeMillis() / 1000 - 2, System.currentTimeMillis() / 1000 + 2);
            assertThat(Long.parseLong(time.get(1))).isBetween(0L, 999_999L);
        }
    }

    @Test
    void shutdownStopsTheNode() throws Exception {
        TestNode node = TestNode.start();
        try (RawConnection raw = new RawConnection(node.port())) {
            raw.send(List.of("SHUTDOWN".getBytes(), "NOSAVE".getBytes()));
            assertThat(raw.readReplyBytes()).as("the connection closes without a reply").isNull();
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while ((node.node().running() || canConnect(node.port())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(node.node().running()).isFalse();
        assertThat(canConnect(node.port())).isFalse();
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void clientsOverTheOutputBufferLimitAreClosed() throws Exception {
        try (TestNode node = TestNode.start(c -> {
            try {
                c.load("client-output-buffer-limit", "normal 1mb 0 0");
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
        }); RawConnection slow = new RawConnection(node.port()); RawConnection ok = new RawConnection(node.port())) {
            slow.call("SET", "big", "x".repeat(512 * 1024));
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                many.append("GET big\r\n");
            }
            slow.sendRaw(many.toString().getBytes()); // ~100 MB of replies that nobody reads
            Thread.sleep(1500);
            String clients = ((RespValue.BulkString) ok.call("CLIENT", "LIST")).text();
            assertThat(clients.lines()).as("only the well-behaved client is left").hasSize(1);
            assertThat(ok.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }
}
