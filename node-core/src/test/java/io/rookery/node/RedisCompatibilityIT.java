package io.rookery.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RequestDecoder;
import io.rookery.protocol.RespReader;
import io.rookery.protocol.RespValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The compatibility contract, checked against the reference: every line of a scenario in
 * {@code src/test/resources/compat/} goes to a real redis-server 7.0 and to a Rookery node, and the
 * replies must be the same bytes. A line starting with "~ " compares with every aggregate's elements
 * sorted (hash orders differ). Lines are split as redis-cli splits them.
 */
@Tag("interop")
class RedisCompatibilityIT {
    private static RealRedis redis;
    private static TestNode rookery;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        rookery = TestNode.start();
    }

    @AfterAll
    static void stop() {
        if (rookery != null) {
            rookery.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> scenarios() {
        return java.util.stream.Stream.of("strings", "keys", "bits", "server", "errors", "hashes", "lists", "sets", "zsets",
                        "sort", "transactions", "pubsub", "scripting", "geo", "hyperloglog", "commandkeys")
                .flatMap(s -> java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of(s, 2),
                        org.junit.jupiter.params.provider.Arguments.of(s, 3)));
    }

    @ParameterizedTest(name = "{0} replies as Redis 7.0 does in RESP{1}")
    @org.junit.jupiter.params.provider.MethodSource("scenarios")
    void scenarioRepliesMatchRedis(String scenario, int protocol) throws IOException {
        List<String> differences = new ArrayList<>();
        try (RawConnection theirs = new RawConnection(redis.port()); RawConnection ours = new RawConnection(rookery.port())) {
            if (protocol == 3) {
                theirs.call("HELLO", "3");
                ours.call("HELLO", "3");
            }
            int n = 0;
            for (String line : lines(scenario)) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                boolean unordered = line.startsWith("~ ");
                String command = unordered ? line.substring(2) : line;
                List<byte[]> args = RequestDecoder.splitArgs(command.getBytes(StandardCharsets.UTF_8));
                theirs.send(args);
                ours.send(args);
                byte[] expected = theirs.readReplyBytes();
                byte[] actual = ours.readReplyBytes();
                String e = render(expected, unordered);
                String a = render(actual, unordered);
                if (!e.equals(a)) {
                    differences.add("line " + n + ": " + command + "\n    redis:   " + e + "\n    rookery: " + a);
                }
            }
        }
        assertThat(differences).as("replies that differ from redis-server 7.0").isEmpty();
    }

    private static List<String> lines(String scenario) throws IOException {
        try (InputStream in = RedisCompatibilityIT.class.getResourceAsStream("/compat/" + scenario + ".txt")) {
            assertThat(in).as("scenario " + scenario).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static String render(byte[] reply, boolean unordered) {
        if (reply == null) {
            return "<connection closed>";
        }
        if (!unordered) {
            return new String(reply, StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n");
        }
        try {
            return canonical(new RespReader().read(Unpooled.wrappedBuffer(reply)));
        } catch (Exception e) {
            return "<unparseable>";
        }
    }

    /** A textual form with the elements of every aggregate sorted. */
    private static String canonical(RespValue v) {
        List<RespValue> items = null;
        if (v instanceof RespValue.Array a) {
            items = a.elements();
        } else if (v instanceof RespValue.Set s) {
            items = s.elements();
        } else if (v instanceof RespValue.Map m) {
            items = m.entries();
        }
        if (items == null) {
            return v instanceof RespValue.BulkString b ? "'" + b.text() + "'" : v.toString();
        }
        return items.stream().map(RedisCompatibilityIT::canonical).sorted(Comparator.naturalOrder()).toList().toString();
    }
}
