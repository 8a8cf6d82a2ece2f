package io.rookery.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.SharedNode;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CLIENT REPLY OFF|SKIP silence a connection's replies, but what it subscribed to still arrives:
 * subscribe confirmations and messages are pushes, as in Redis.
 */
class ClientReplyPubSubIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static String show(RespValue v) {
        if (v instanceof RespValue.BulkString b) {
            return new String(b.value(), StandardCharsets.UTF_8);
        } else if (v instanceof RespValue.SimpleString s) {
            return s.value();
        } else if (v instanceof RespValue.Integer i) {
            return Long.toString(i.value());
        } else if (v instanceof RespValue.Push p) {
            return ">" + p.elements().stream().map(ClientReplyPubSubIT::show).collect(Collectors.joining(" ", "[", "]"));
        } else if (v instanceof RespValue.Array a) {
            return a.elements().stream().map(ClientReplyPubSubIT::show).collect(Collectors.joining(" ", "[", "]"));
        }
        return v.toString();
    }

    private static void send(RawConnection c, String... args) throws IOException {
        c.send(List.of(args).stream().map(String::getBytes).toList());
    }

    @Test
    @DisplayName("with CLIENT REPLY OFF a RESP3 subscriber still gets its confirmations and messages")
    void replyOffKeepsPubSub() throws Exception {
        try (RawConnection sub = new RawConnection(node.port()); RawConnection pub = new RawConnection(node.port())) {
            sub.call("HELLO", "3");
            send(sub, "CLIENT", "REPLY", "OFF");
            send(sub, "SUBSCRIBE", "news");
            assertThat(show(sub.readReply())).isEqualTo(">[subscribe news 1]");
            send(sub, "PSUBSCRIBE", "n*");
            assertThat(show(sub.readReply())).isEqualTo(">[psubscribe n* 2]");
            assertThat(show(pub.call("PUBLISH", "news", "hello"))).isEqualTo("2");
            assertThat(show(sub.readReply())).isEqualTo(">[message news hello]");
            assertThat(show(sub.readReply())).isEqualTo(">[pmessage n* news hello]");
            send(sub, "SET", "silenced", "1");
            send(sub, "CLIENT", "REPLY", "ON");
            assertThat(show(sub.readReply())).isEqualTo("OK");
        }
    }

    @Test
    @DisplayName("CLIENT REPLY SKIP drops the next reply only, and a RESP2 PSUBSCRIBE confirmation still arrives")
    void replySkipDropsOneReply() throws Exception {
        try (RawConnection c = new RawConnection(node.port())) {
            send(c, "CLIENT", "REPLY", "SKIP");
            send(c, "SET", "skip:k", "v");
            assertThat(show(c.call("GET", "skip:k"))).isEqualTo("v");
            send(c, "CLIENT", "REPLY", "SKIP");
            send(c, "PSUBSCRIBE", "skip:*");
            assertThat(show(c.readReply())).isEqualTo("[psubscribe skip:* 1]");
        }
    }

    @Test
    @DisplayName("with CLIENT REPLY OFF shard subscriptions and smessages still arrive, PING replies do not")
    void replyOffKeepsShardPubSub() throws Exception {
        try (RawConnection sub = new RawConnection(node.port()); RawConnection pub = new RawConnection(node.port())) {
            sub.call("HELLO", "3");
            send(sub, "CLIENT", "REPLY", "OFF");
            send(sub, "PING");
            send(sub, "SSUBSCRIBE", "shard");
            assertThat(show(sub.readReply())).isEqualTo(">[ssubscribe shard 1]");
            assertThat(show(pub.call("SPUBLISH", "shard", "hi"))).isEqualTo("1");
            assertThat(show(sub.readReply())).isEqualTo(">[smessage shard hi]");
            send(sub, "PING");
            send(sub, "SUNSUBSCRIBE", "shard");
            assertThat(show(sub.readReply())).isEqualTo(">[sunsubscribe shard 0]");
        }
    }
}
