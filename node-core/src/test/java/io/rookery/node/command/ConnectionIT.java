package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.config.ConfigException;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connection-level behaviour: authentication, protocol negotiation, client management, limits. */
class ConnectionIT {

    private static void load(io.rookery.node.config.NodeConfig c, String name, String value) {
        try {
            c.load(name, value);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void requirepassGatesCommandsUntilAuth() throws Exception {
        try (TestNode node = TestNode.start(c -> load(c, "requirepass", "s3cret"));
             RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("GET", "k")).isEqualTo(new RespValue.Error("NOAUTH Authentication required."));
            assertThat(raw.call("AUTH", "wrong")).isEqualTo(new RespValue.Error("WRONGPASS invalid username-password pair or user is disabled."));
            assertThat(raw.call("HELLO", "3")).isEqualTo(new RespValue.Error("NOAUTH HELLO must be called with the client already "
                    + "authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
                    + "select the RESP protocol version at the same time"));
            assertThat(raw.call("AUTH", "default", "s3cret")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(raw.call("GET", "k")).isInstanceOf(RespValue.Null.class);
            RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(node.port()).withPassword("s3cret".toCharArray()).build();
            try (Lettuce l = Lettuce.connect(uri, ProtocolVersion.RESP3)) {
                assertThat(l.sync().ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void helloSwitchesProtocolAndDescribesTheServer() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            RespValue hello = raw.call("HELLO", "3", "SETNAME", "me");
            assertThat(hello).isInstanceOf(RespValue.Map.class);
            assertThat(hello.toString()).contains("redis", "7.0.15", "standalone");
            assertThat(raw.call("CLIENT", "GETNAME")).isEqualTo(new RespValue.BulkString("me".getBytes()));
            assertThat(raw.call("GET", "nokey")).isInstanceOf(RespValue.Null.class);
            assertThat(raw.call("CONFIG", "GET", "hz")).isInstanceOf(RespValue.Map.class);
            assertThat(raw.call("HELLO", "4")).isEqualTo(new RespValue.Error("NOPROTO unsupported protocol version"));
            assertThat(raw.call("RESET")).isEqualTo(new RespValue.SimpleString("RESET"));
            assertThat(raw.call("CONFIG", "GET", "hz")).isInstanceOf(RespValue.Array.class);
        }
    }

    @Test
    void lettuceHandshakeIsAnsweredInBothProtocols() {
        try (TestNode node = TestNode.start()) {
            for (ProtocolVersion v : new ProtocolVersion[]{ProtocolVersion.RESP2, ProtocolVersion.RESP3}) {
                try (Lettuce l = Lettuce.connect(node.port(), v)) {
                    assertThat(l.sync().ping()).isEqualTo("PONG");
                    assertThat(l.sync().clientList()).contains("resp=" + (v == ProtocolVersion.RESP3 ? 3 : 2));
                }
            }
        }
    }

    @Test
    void clientListKillAndNames() throws Exception {
        try (TestNode node = TestNode.start();
             RawConnection a = new RawConnection(node.port());
             RawConnection b = new RawConnection(node.port())) {
            a.call("CLIENT", "SETNAME", "alpha");
            long bId = ((RespValue.Integer) b.call("CLIENT", "ID")).value();
            String list = ((RespValue.BulkString) a.call("CLIENT", "LIST")).text();
            assertThat(list.lines()).hasSize(2);
            assertThat(list).contains("name=alpha", "id=" + bId, "cmd=client|list");
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(bId))).isEqualTo(new RespValue.Integer(1));
            assertThat(b.isClosedByPeer()).isTrue();
            assertThat(a.call("CLIENT", "KILL", "SKIPME", "no")).isEqualTo(new RespValue.Integer(1));
            assertThat(a.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void clientReplyOffSilencesReplies() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            raw.send(java.util.List.of("CLIENT".getBytes(), "REPLY".getBytes(), "OFF".getBytes()));
            raw.send(java.util.List.of("SET".getBytes(), "k".getBytes(), "v".getBytes()));
            raw.send(java.util.List.of("CLIENT".getBytes(), "REPLY".getBytes(), "SKIP".getBytes()));
            raw.send(java.util.List.of("CLIENT".getBytes(), "REPLY".getBytes(), "ON".getBytes()));
            assertThat(raw.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            raw.send(java.util.List.of("CLIENT".getBytes(), "REPLY".getBytes(), "SKIP".getBytes()));
            raw.send(java.util.List.of("GET".getBytes(), "k".getBytes()));
            assertThat(raw.call("GET", "k")).isEqualTo(new RespValue.BulkString("v".getBytes()));
        }
    }

    @Test
    void clientPauseHoldsWritesUntilItEnds() throws Exception {
        try (TestNode node = TestNode.start();
             RawConnection admin = new RawConnection(node.port());
             RawConnection writer = new RawConnection(node.port())) {
            assertThat(admin.call("CLIENT", "PAUSE", "300", "WRITE")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(writer.call("GET", "k")).isInstanceOf(RespValue.Null.class); // reads pass
            long start = System.nanoTime();
            assertThat(writer.call("SET", "k", "v")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);

            admin.call("CLIENT", "PAUSE", "10000", "ALL");
            CompletableFuture<RespValue> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.call("GET", "k");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            assertThat(held).isNotDone();
            try (RawConnection other = new RawConnection(node.port())) {
                other.send(java.util.List.of("CLIENT".getBytes(), "UNPAUSE".getBytes())); // itself held under ALL
                node.node().call(() -> {
                    node.node().parts().dispatcher().unpause();
                    return null;
                }).get(10, TimeUnit.SECONDS);
                assertThat(other.readReply()).isEqualTo(new RespValue.SimpleString("OK"));
            }
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.BulkString("v".getBytes()));
        }
    }

    @Test
    void monitorSeesOtherClientsCommands() throws Exception {
        try (TestNode node = TestNode.start();
             RawConnection monitor = new RawConnection(node.port());
             RawConnection client = new RawConnection(node.port())) {
            assertThat(monitor.call("MONITOR")).isEqualTo(new RespValue.SimpleString("OK"));
            client.call("SET", "greeting", "hello world");
            RespValue line = monitor.readReply();
            assertThat(((RespValue.SimpleString) line).value()).matches("\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+] \"SET\" \"greeting\" \"hello world\"");
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (TestNode node = TestNode.start(c -> load(c, "timeout", "1"));
             RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
            Thread.sleep(2500);
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void maxclientsRefusesTheExtraConnection() throws Exception {
        try (TestNode node = TestNode.start(c -> load(c, "maxclients", "1"));
             RawConnection first = new RawConnection(node.port());
             RawConnection second = new RawConnection(node.port())) {
            assertThat(second.readReply()).isEqualTo(new RespValue.Error("ERR max number of clients reached"));
            assertThat(first.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @Test
    void quitRepliesThenCloses() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection raw = new RawConnection(node.port())) {
            assertThat(raw.call("QUIT")).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    /**
     * Protected mode refuses clients that do not come from loopback. The test reaches the node through
     * this machine's own non-loopback address, so the node sees a non-loopback peer.
     */
    @Test
    void protectedModeRefusesNonLoopbackClientsWithoutPassword() throws Exception {
        InetAddress external = nonLoopbackAddress();
        try (TestNode node = TestNode.start(c -> load(c, "bind", "*"));
             Socket s = new Socket(external, node.port())) {
            s.setSoTimeout(5000);
            String reply = new String(s.getInputStream().readAllBytes());
            assertThat(reply).startsWith("-DENIED Redis is running in protected mode because protected mode is enabled");
            try (RawConnection local = new RawConnection(node.port())) {
                assertThat(local.call("PING")).isEqualTo(new RespValue.SimpleString("PONG"));
                local.call("CONFIG", "SET", "protected-mode", "no");
            }
            try (Socket again = new Socket(external, node.port())) {
                again.getOutputStream().write("PING\r\n".getBytes());
                again.setSoTimeout(5000);
                byte[] buf = new byte[7];
                assertThat(new String(buf, 0, again.getInputStream().read(buf))).isEqualTo("+PONG\r\n");
            }
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        throw new IllegalStateException("this test needs a non-loopback IPv4 address on the machine to connect from");
    }
}
