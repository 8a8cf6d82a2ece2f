package io.rookery.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control-plane client against a scripted peer: ordering, pub/sub routing, queued sends, closure. */
class RespClientTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A one-connection peer: waits for {@code expectBytes} of requests, then writes {@code reply}. */
    private static ServerSocket peer(int expectBytes, String reply, boolean closeAfter) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int read = 0;
                byte[] buf = new byte[4096];
                while (read < expectBytes) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    read += n;
                }
                OutputStream out = s.getOutputStream();
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!closeAfter) {
                    Thread.sleep(2000);
                }
            } catch (IOException | InterruptedException e) {
                // the test decides
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private RespClient connect(ServerSocket server) {
        return RespClient.connect(group, NioSocketChannel.class, "127.0.0.1", server.getLocalPort(), 2000);
    }

    @Test
    void sendAllWritesThePipelineAndCompletesEachCommandInOrder() throws Exception {
        String ping = "*1\r\n$4\r\nPING\r\n";
        String get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        try (ServerSocket server = peer(ping.length() + get.length(), "+PONG\r\n$3\r\nabc\r\n", false)) {
            RespClient c = connect(server);
            List<CompletableFuture<RespValue>> replies = c.sendAll(List.of(
                    new byte[][]{"PING".getBytes(StandardCharsets.UTF_8)},
                    new byte[][]{"GET".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8)}));
            assertThat(replies.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(((RespValue.BulkString) replies.get(1).get(10, TimeUnit.SECONDS)).text()).isEqualTo("abc");
            assertThat(c.pendingReplies()).isZero();
            c.close();
        }
    }

    @Test
    void pipelinedRepliesCompleteTheirCommandsInOrder() throws Exception {
        String ping = "*1\r\n$4\r\nPING\r\n";
        String get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        try (ServerSocket server = peer(ping.length() + get.length(), "+PONG\r\n$3\r\nabc\r\n", false)) {
            RespClient c = connect(server);
            CompletableFuture<RespValue> first = c.send("PING");
            CompletableFuture<RespValue> second = c.send("GET", "k");
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(((RespValue.BulkString) second.get(10, TimeUnit.SECONDS)).text()).isEqualTo("abc");
            assertThat(c.pendingReplies()).isZero();
            c.close();
        }
    }

    @Test
    void errorRepliesCompleteNormally() throws Exception {
        try (ServerSocket server = peer(1, "-ERR unknown command 'X'\r\n", false)) {
            RespClient c = connect(server);
            assertThat(c.send("X").get(10, TimeUnit.SECONDS)).isEqualTo(new RespValue.Error("ERR unknown command 'X'"));
            c.close();
        }
    }

    @Test
    void messagesAfterSubscribeGoToThePushListener() throws Exception {
        String reply = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
                + "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n";
        try (ServerSocket server = peer(1, reply, false)) {
            RespClient c = connect(server);
            List<RespValue> pushed = new CopyOnWriteArrayList<>();
            CountDownLatch got = new CountDownLatch(1);
            c.onPush(v -> {
                pushed.add(v);
                got.countDown();
            });
            RespValue confirmation = c.send("SUBSCRIBE", "ch").get(10, TimeUnit.SECONDS);
            assertThat(((RespValue.Array) confirmation).elements().get(0)).isEqualTo(bulk("subscribe"));
            assertThat(got.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(((RespValue.Array) pushed.get(0)).elements()).containsExactly(bulk("message"), bulk("ch"), bulk("hello"));
            c.close();
        }
    }

    @Test
    void aLostConnectionFailsWhatIsPendingAndTellsTheCloseListener() throws Exception {
        try (ServerSocket server = peer(1, "", true)) {
            RespClient c = connect(server);
            CountDownLatch closed = new CountDownLatch(1);
            c.onClose(closed::countDown);
            CompletableFuture<RespValue> pending = c.send("PING");
            assertThat(closed.await(2, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(() -> c.send("PING").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aRefusedConnectionFailsQueuedCommands() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RespClient c = RespClient.connect(group, NioSocketChannel.class, "127.0.0.1", port, 2000);
        CountDownLatch closed = new CountDownLatch(1);
        c.onClose(closed::countDown);
        CompletableFuture<RespValue> queued = c.send("PING");
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(closed.await(2, TimeUnit.SECONDS)).isTrue();
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void closingRightAfterConnectingFailsWhatIsUnanswered() throws Exception {
        try (ServerSocket server = peer(Integer.MAX_VALUE, "", false)) { // a peer that never answers
            RespClient c = connect(server);
            CountDownLatch closed = new CountDownLatch(1);
            c.onClose(closed::countDown);
            CompletableFuture<RespValue> queued = c.send("PING");
            c.close();
            assertThat(closed.await(2, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }
}
