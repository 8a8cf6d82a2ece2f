package io.rookery.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RequestDecoder;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Keyspace notifications compared with real Redis: the same commands run against redis-server and
 * Rookery, each watched by a subscriber to every keyspace and keyevent channel, must produce the same
 * message stream.
 */
@Tag("interop")
class NotificationsInteropIT {

    @Test
    void theSameCommandsRaiseTheSameEvents() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode rookery = TestNode.start()) {
            List<String> theirs = events(redis.port());
            List<String> ours = events(rookery.port());
            assertThat(theirs).isNotEmpty();
            assertThat(ours).isEqualTo(theirs);
        }
    }

    private static List<String> events(int port) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConnection sub = new RawConnection(port); RawConnection cmd = new RawConnection(port)) {
            cmd.call("FLUSHALL");
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            sub.call("PSUBSCRIBE", "__key*__:*");
            for (String line : scenario()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                cmd.send(RequestDecoder.splitArgs(line.getBytes(StandardCharsets.UTF_8)));
                cmd.readReply();
            }
            cmd.call("PUBLISH", "__keyspace@0__:end", "end");
            while (true) {
                RespValue.Array msg;
                try {
                    msg = (RespValue.Array) sub.readReply();
                } catch (SocketTimeoutException e) {
                    break;
                }
                String channel = ((RespValue.BulkString) msg.elements().get(2)).text();
                String payload = ((RespValue.BulkString) msg.elements().get(3)).text();
                if (channel.equals("__keyspace@0__:end")) {
                    break;
                }
                out.add(channel + " " + payload);
            }
            cmd.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        return out;
    }

    private static List<String> scenario() throws IOException {
        try (InputStream in = NotificationsInteropIT.class.getResourceAsStream("/compat/notifications.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
