package io.rookery.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisCli;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RequestDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * redis-cli drives the compatibility scenarios against real redis-server and Rookery and must print
 * the same thing for both (one redis-cli run per line, formatted output); plus redis-cli's own tools.
 */
@Tag("interop")
class RedisCliIT {
    private static RealRedis redis;
    private static TestNode rookery;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        rookery = TestNode.start();
    }

    @AfterAll
    static void stop() {
        rookery.close();
        redis.close();
    }

    @ParameterizedTest(name = "redis-cli prints the same for the {0} scenario")
    @ValueSource(strings = {"strings", "keys", "bits", "errors", "hashes", "lists", "sets", "zsets", "sort"})
    void scenarioOutputMatchesRedis(String scenario) throws IOException {
        List<String> differences = new ArrayList<>();
        for (String line : lines(scenario)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            boolean unordered = line.startsWith("~ ");
            String command = unordered ? line.substring(2) : line;
            String[] args = RequestDecoder.splitArgs(command.getBytes(StandardCharsets.UTF_8)).stream()
                    .map(b -> new String(b, StandardCharsets.UTF_8)).toArray(String[]::new);
            if (command.contains("\\x00")) {
                continue; // a NUL byte cannot travel in a process argument
            }
            if (command.matches("(?i)^(blpop|brpop|blmove|brpoplpush|blmpop|bzpopmin|bzpopmax|bzmpop) .*")) {
                continue; // blocking commands depend on one connection's state: RedisCompatibilityIT covers them
            }
            String[] cli = new String[args.length + 1];
            cli[0] = "--no-raw";
            System.arraycopy(args, 0, cli, 1, args.length);
            String expected = RedisCli.run(redis.port(), cli);
            String actual = RedisCli.run(rookery.port(), cli);
            if (unordered) {
                expected = sortedLines(expected);
                actual = sortedLines(actual);
            }
            if (!expected.equals(actual)) {
                differences.add(command + "\n  redis:   " + expected + "\n  rookery: " + actual);
            }
        }
        assertThat(differences).isEmpty();
    }

    private static String sortedLines(String s) {
        String[] lines = s.split("\n");
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lines[i].replaceFirst("^(\\s*\\d+\\) )+", "");
        }
        Arrays.sort(lines);
        return String.join("\n", lines);
    }

    private static List<String> lines(String scenario) throws IOException {
        try (InputStream in = RedisCliIT.class.getResourceAsStream("/compat/" + scenario + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void massInsertionWithPipeMode() {
        StringBuilder resp = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String k = "mass:" + i;
            resp.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$1\r\nv\r\n");
        }
        RedisCli.run(rookery.port(), "flushall");
        String out = RedisCli.run(rookery.port(), resp.toString().getBytes(StandardCharsets.US_ASCII), "--pipe");
        assertThat(out).contains("errors: 0, replies: 10000");
        assertThat(RedisCli.run(rookery.port(), "dbsize").trim()).isEqualTo("10000");
    }

    @Test
    void scanAndBigkeysTools() {
        RedisCli.run(rookery.port(), "flushall");
        for (int i = 0; i < 300; i++) {
            RedisCli.run(rookery.port(), "set", "tool:" + i, "x".repeat(i));
        }
        List<String> scanned = RedisCli.run(rookery.port(), "--scan", "--pattern", "tool:*").lines().toList();
        assertThat(scanned).hasSize(300).doesNotHaveDuplicates();
        String bigkeys = RedisCli.run(rookery.port(), "--bigkeys");
        assertThat(bigkeys).contains("Biggest string found", "tool:299", "300 strings");
    }

    @Test
    void infoAndResp3FromTheCli() {
        String info = RedisCli.run(rookery.port(), "info", "server");
        assertThat(info).contains("redis_version:7.0.15", "tcp_port:" + rookery.port());
        String hello = RedisCli.run(rookery.port(), "-3", "hello");
        assertThat(hello).contains("server", "redis", "proto", "3");
    }
}
