package io.rookery.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rookery.node.RookeryNode;
import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.RedisSuiteFiles;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every configuration parameter of Redis 7.0 is accepted, so users' redis.conf files and Redis's test configs load. */
class RedisParametersIT {
    /** Redis 7.0.15's own test assets (Debian's source package), fetched by the redis-tests tool. */

    private static Map<String, String> configGetAll(RawConnection c) throws Exception {
        RespValue reply = c.call("CONFIG", "GET", "*");
        List<RespValue> items = reply instanceof RespValue.Map m ? m.entries() : ((RespValue.Array) reply).elements();
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            out.put(text(items.get(i)), text(items.get(i + 1)));
        }
        return out;
    }

    private static String text(RespValue v) {
        return new String(((RespValue.BulkString) v).value(), StandardCharsets.UTF_8);
    }

    @Test
    void everyParameterRealRedisReportsIsReportedByOursToo() throws Exception {
        try (RealRedis redis = RealRedis.start(); RawConnection real = new RawConnection(redis.port());
             TestNode node = TestNode.start(); RawConnection ours = new RawConnection(node.port())) {
            Map<String, String> theirs = configGetAll(real);
            Map<String, String> mine = configGetAll(ours);
            assertThat(theirs).hasSizeGreaterThan(150);
            assertThat(mine.keySet()).containsAll(theirs.keySet());
            assertThat(mine.keySet()).as("hidden parameters are left out of patterns, as in Redis")
                    .doesNotContain("key-load-delay", "rdb-key-save-delay", "watchdog-period");
            assertThat(ours.call("CONFIG", "GET", "key-load-delay")).isEqualTo(real.call("CONFIG", "GET", "key-load-delay"));
            for (String name : theirs.keySet()) {
                RespValue one = ours.call("CONFIG", "GET", name);
                assertThat(one).as(name).isInstanceOf(RespValue.Array.class);
                assertThat(((RespValue.Array) one).elements()).as(name).hasSize(2);
            }
        }
    }

    @Test
    void parametersWithoutEffectReportRedisDefaultsAndValidateAsRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); RawConnection real = new RawConnection(redis.port());
             TestNode node = TestNode.start(); RawConnection ours = new RawConnection(node.port())) {
            for (String name : List.of("maxmemory-clients", "maxmemory-eviction-tenacity", "cluster-enabled",
                    "cluster-node-timeout", "activedefrag", "tls-port", "enable-debug-command", "lazyfree-lazy-eviction",
                    "latency-tracking-info-percentiles", "oom-score-adj-values", "shutdown-on-sigterm")) {
                assertThat(ours.call("CONFIG", "GET", name)).as(name).isEqualTo(real.call("CONFIG", "GET", name));
            }
            String[][] sets = {{"maxmemory-clients", "10%"}, {"maxmemory-clients", "200%"}, {"maxmemory-clients", "lots"},
                    {"maxmemory-eviction-tenacity", "101"}, {"activedefrag", "maybe"}, {"cluster-enabled", "yes"},
                    {"shutdown-on-sigterm", "nosave now"}, {"shutdown-on-sigterm", "never"}, {"lua-time-limit", "x"},
                    {"busy-reply-threshold", "6000"}, {"stream-node-max-bytes", "8kb"}};
            for (String[] set : sets) {
                assertThat(ours.call("CONFIG", "SET", set[0], set[1])).as(String.join(" ", set))
                        .isEqualTo(real.call("CONFIG", "SET", set[0], set[1]));
                assertThat(ours.call("CONFIG", "GET", set[0])).as(set[0]).isEqualTo(real.call("CONFIG", "GET", set[0]));
            }
            assertThat(ours.call("CONFIG", "GET", "lua-time-limit")).isEqualTo(real.call("CONFIG", "GET", "lua-time-limit"));
        }
    }

    @Test
    void redisTestSuiteDefaultConfStartsANode(@TempDir Path dir) throws Exception {
        Path defaultConf = RedisSuiteFiles.tests().resolve("assets/default.conf");
        assertThat(defaultConf).as("Redis's test assets").exists();
        String text = Files.readString(defaultConf)
                .replace("port 6379", "port 0")
                .replace("dir ./", "dir " + dir)
                .replace("pidfile /var/run/redis.pid", "pidfile " + dir.resolve("redis.pid"));
        Path conf = dir.resolve("default.conf");
        Files.writeString(conf, text);
        NodeConfig config = new NodeConfig();
        ConfigFile.load(config, conf);
        RookeryNode node = new RookeryNode(config);
        int port = node.start();
        try (RawConnection raw = new RawConnection(port)) {
            assertThat(raw.call("CONFIG", "GET", "enable-debug-command")).isEqualTo(new RespValue.Array(List.of(
                    new RespValue.BulkString("enable-debug-command".getBytes()), new RespValue.BulkString("yes".getBytes()))));
            assertThat(raw.call("DEBUG", "SLEEP", "0")).isEqualTo(new RespValue.SimpleString("OK"));
        } finally {
            node.stop(false);
        }
    }

    @Test
    void redisSentinelAndClusterTestDirectivesLoad(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("redis.conf");
        // what Redis's tests/instances.tcl writes for its cluster and sentinel suites' data nodes
        Files.writeString(conf, """
                port 0
                repl-diskless-sync-delay 0
                dir %s
                logfile ''
                cluster-enabled yes
                appendonly yes
                enable-protected-configs yes
                enable-debug-command yes
                cluster-node-timeout 3000
                cluster-config-file nodes.conf
                tls-replication no
                list-max-ziplist-entries 128
                lua-replicate-commands yes
                """.formatted(dir));
        NodeConfig config = new NodeConfig();
        ConfigFile.load(config, conf);
        assertThat(config.parameter("cluster-enabled").get()).isEqualTo("yes");
        assertThat(config.parameter("cluster-node-timeout").get()).isEqualTo("3000");
        assertThat(config.appendonly).isTrue();
    }

    @Test
    void immutableParametersRefuseConfigSetAndBadValuesFailStartUp(@TempDir Path dir) throws Exception {
        NodeConfig config = new NodeConfig();
        assertThatThrownBy(() -> config.set(Map.of("cluster-enabled", "yes")))
                .hasMessage("CONFIG SET failed (possibly related to argument 'cluster-enabled') - can't set immutable config");
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "maxmemory-eviction-tenacity 500\n");
        assertThatThrownBy(() -> ConfigFile.load(new NodeConfig(), conf))
                .hasMessageContaining("argument must be between 0 and 100 inclusive");
    }
}
