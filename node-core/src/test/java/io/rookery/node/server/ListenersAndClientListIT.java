package io.rookery.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * CONFIG SET port and bind move the listeners as Redis 7.0 does (connections already made stay; a
 * port or address that cannot be bound fails with Redis's error and the old listener stays), and
 * CLIENT LIST reports each client's subscription counts and its own fd.
 */
class ListenersAndClientListIT {

    private static RespValue configGet(RawConnection c, String name) throws Exception {
        return ((RespValue.Array) c.call("CONFIG", "GET", name)).elements().get(1);
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes());
    }

    private static final RespValue PONG = new RespValue.SimpleString("PONG");

    @Test
    void configSetPortMovesTheListenerAndKeepsConnectionsMade() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            int oldPort = node.port();
            int newPort = RealRedis.freePort();
            assertThat(c.call("CONFIG", "SET", "port", Integer.toString(newPort))).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(c.call("PING")).as("the connection that moved the port").isEqualTo(PONG);
            try (RawConnection moved = new RawConnection(newPort)) {
                assertThat(moved.call("PING")).isEqualTo(PONG);
            }
            assertThatThrownBy(() -> new RawConnection(oldPort).close()).isInstanceOf(ConnectException.class);
            assertThat(configGet(c, "port")).isEqualTo(bulk(Integer.toString(newPort)));
            assertThat(((RespValue.BulkString) c.call("INFO", "server")).text()).contains("tcp_port:" + newPort);
        }
    }

    @Test
    void aPortInUseFailsWithRedisErrorAndTheOldListenerStays() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port());
             ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(c.call("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort()))).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."));
            assertThat(configGet(c, "port")).isEqualTo(bulk(Integer.toString(node.port())));
            try (RawConnection again = new RawConnection(node.port())) {
                assertThat(again.call("PING")).isEqualTo(PONG);
            }
        }
    }

    @Test
    void configSetBindRebindsAndAnAddressThatCannotBeBoundFailsWithRedisError() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection c = new RawConnection(node.port())) {
            assertThat(c.call("CONFIG", "SET", "bind", "127.0.0.1 -::1")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(configGet(c, "bind")).isEqualTo(bulk("127.0.0.1 -::1"));
            try (RawConnection after = new RawConnection(node.port())) {
                assertThat(after.call("PING")).isEqualTo(PONG);
            }
            assertThat(c.call("CONFIG", "SET", "bind", "127.0.0.1 192.0.2.1")).isEqualTo(new RespValue.Error(
                    "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses."));
            assertThat(configGet(c, "bind")).isEqualTo(bulk("127.0.0.1 -::1"));
            assertThat(c.call("PING")).isEqualTo(PONG);
            try (RawConnection after = new RawConnection(node.port())) {
                assertThat(after.call("PING")).as("a new connection after the failed bind").isEqualTo(PONG);
            }
        }
    }

    /** CLIENT LIST lines by client name: each line's fields. */
    private static Map<String, Map<String, String>> clientList(RawConnection c) throws Exception {
        return ((RespValue.BulkString) c.call("CLIENT", "LIST")).text().lines()
                .map(line -> Arrays.stream(line.split(" ")).map(f -> f.split("=", 2))
                        .collect(Collectors.toMap(f -> f[0], f -> f.length > 1 ? f[1] : "")))
                .collect(Collectors.toMap(f -> f.get("name"), Function.identity()));
    }

    @Test
    void clientListShowsSubscriptionCountsAndAnFdPerConnection() throws Exception {
        try (TestNode node = TestNode.start();
             RawConnection subscriber = new RawConnection(node.port());
             RawConnection shard = new RawConnection(node.port());
             RawConnection c = new RawConnection(node.port())) {
            subscriber.call("CLIENT", "SETNAME", "subscriber");
            shard.call("CLIENT", "SETNAME", "shard");
            c.call("CLIENT", "SETNAME", "plain");
            subscriber.send(List.of("SUBSCRIBE".getBytes(), "a".getBytes(), "b".getBytes()));
            subscriber.readReply();
            subscriber.readReply();
            subscriber.send(List.of("PSUBSCRIBE".getBytes(), "p*".getBytes()));
            subscriber.readReply();
            shard.send(List.of("SSUBSCRIBE".getBytes(), "s".getBytes()));
            shard.readReply();

            Map<String, Map<String, String>> list = clientList(c);
            assertThat(list.get("subscriber")).containsEntry("sub", "2").containsEntry("psub", "1").containsEntry("ssub", "0");
            assertThat(list.get("shard")).containsEntry("sub", "0").containsEntry("psub", "0").containsEntry("ssub", "1");
            assertThat(list.get("plain")).containsEntry("sub", "0").containsEntry("psub", "0").containsEntry("ssub", "0");
            List<String> fds = list.values().stream().map(f -> f.get("fd")).toList();
            assertThat(fds).doesNotHaveDuplicates().allSatisfy(fd -> assertThat(Integer.parseInt(fd)).isPositive());
        }
    }
}
