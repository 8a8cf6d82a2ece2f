package io.rookery.node.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RawConnection;
import io.rookery.node.support.RealRedis;
import io.rookery.node.support.TestNode;
import io.rookery.protocol.RespValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MIGRATE between Rookery nodes and to and from a real redis-server: keys arrive with their values and
 * TTLs, leave the source unless COPY, and the failure cases answer with Redis's texts.
 */
class MigrateIT {
    private static final RespValue OK = new RespValue.SimpleString("OK");

    @Test
    void migrateMovesAKeyWithItsTtlBetweenTwoRookeryNodes() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection to = new RawConnection(target.port())) {
            from.call("RPUSH", "list", "a", "b", "c");
            from.call("PEXPIRE", "list", "100000");
            assertThat(from.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "list", "3", "5000")).isEqualTo(OK);
            assertThat(from.call("EXISTS", "list")).isEqualTo(new RespValue.Integer(0));
            to.call("SELECT", "3");
            assertThat(to.call("LRANGE", "list", "0", "-1")).isEqualTo(array("a", "b", "c"));
            assertThat(((RespValue.Integer) to.call("PTTL", "list")).value()).isBetween(1L, 100000L);
            assertThat(((RespValue.BulkString) from.call("INFO", "stats")).text()).contains("migrate_cached_sockets:1");
        }
    }

    @Test
    void copyKeepsTheSourceAndReplaceOverwritesTheTarget() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection to = new RawConnection(target.port())) {
            String port = Integer.toString(target.port());
            from.call("SET", "k", "new");
            to.call("SET", "k", "old");
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "COPY"))
                    .isEqualTo(new RespValue.Error("ERR Target instance replied with error: BUSYKEY Target key name already exists."));
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "COPY", "REPLACE")).isEqualTo(OK);
            assertThat(from.call("GET", "k")).isEqualTo(bulk("new"));
            assertThat(to.call("GET", "k")).isEqualTo(bulk("new"));
        }
    }

    @Test
    void keysOptionMovesTheExistingKeysAndNokeyWhenNoneExists() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection to = new RawConnection(target.port())) {
            String port = Integer.toString(target.port());
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "nokey-1", "nokey-2"))
                    .isEqualTo(new RespValue.SimpleString("NOKEY"));
            from.call("MSET", "a", "1", "b", "2");
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "a", "missing", "b")).isEqualTo(OK);
            assertThat(from.call("DBSIZE")).isEqualTo(new RespValue.Integer(0));
            assertThat(to.call("MGET", "a", "b")).isEqualTo(array("1", "2"));
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "x", "0", "5000", "KEYS", "a"))
                    .isEqualTo(new RespValue.Error("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"));
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "x", "0", "5000", "AUTH"))
                    .isEqualTo(new RespValue.Error("ERR syntax error"));
        }
    }

    @Test
    void aCachedConnectionTheTargetClosedIsReplacedTransparently() throws Exception {
        try (TestNode source = TestNode.start(); TestNode target = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection to = new RawConnection(target.port())) {
            String port = Integer.toString(target.port());
            from.call("SET", "first", "1");
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "first", "0", "5000")).isEqualTo(OK);
            to.call("CLIENT", "KILL", "SKIPME", "yes"); // drops MIGRATE's cached connection on the target side
            from.call("SET", "second", "2");
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "second", "0", "5000")).isEqualTo(OK);
            assertThat(to.call("MGET", "first", "second")).isEqualTo(array("1", "2"));
        }
    }

    @Test
    void anUnreachableTargetIsAnIoError() throws Exception {
        try (TestNode source = TestNode.start(); RawConnection from = new RawConnection(source.port())) {
            from.call("SET", "k", "v");
            int closed = RealRedis.freePort();
            assertThat(from.call("MIGRATE", "127.0.0.1", Integer.toString(closed), "k", "0", "1000"))
                    .isEqualTo(new RespValue.Error("IOERR error or timeout connecting to the client"));
            assertThat(from.call("GET", "k")).isEqualTo(bulk("v"));
        }
    }

    @Test
    void rookeryMigratesToARealRedisServerWithAuth() throws Exception {
        try (RealRedis redis = RealRedis.start("--requirepass", "secret"); TestNode source = TestNode.start();
             RawConnection from = new RawConnection(source.port()); RawConnection theirs = new RawConnection(redis.port())) {
            String port = Integer.toString(redis.port());
            from.call("HSET", "h", "f1", "v1", "f2", "v2");
            from.call("ZADD", "z", "1", "one", "2", "two");
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "h", "0", "5000"))
                    .isEqualTo(new RespValue.Error("ERR Target instance replied with error: NOAUTH Authentication required."));
            assertThat(from.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "AUTH", "secret", "KEYS", "h", "z")).isEqualTo(OK);
            theirs.call("AUTH", "secret");
            assertThat(theirs.call("HGET", "h", "f2")).isEqualTo(bulk("v2"));
            assertThat(theirs.call("ZSCORE", "z", "two")).isEqualTo(bulk("2"));
            assertThat(from.call("EXISTS", "h", "z")).isEqualTo(new RespValue.Integer(0));
        }
    }

    @Test
    void aRealRedisServerMigratesToRookery() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestNode target = TestNode.start();
             RawConnection theirs = new RawConnection(redis.port()); RawConnection ours = new RawConnection(target.port())) {
            theirs.call("SADD", "s", "x", "y", "z");
            theirs.call("SET", "str", "value", "EX", "1000");
            assertThat(theirs.call("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "", "2", "5000", "KEYS", "s", "str"))
                    .isEqualTo(OK);
            ours.call("SELECT", "2");
            assertThat(ours.call("SCARD", "s")).isEqualTo(new RespValue.Integer(3));
            assertThat(ours.call("GET", "str")).isEqualTo(bulk("value"));
            assertThat(((RespValue.Integer) ours.call("TTL", "str")).value()).isBetween(1L, 1000L);
        }
    }

    @Test
    void monitorShowsMigrateWithItsPasswordsRedacted() throws Exception {
        try (TestNode node = TestNode.start(); RawConnection monitor = new RawConnection(node.port());
             RawConnection client = new RawConnection(node.port())) {
            monitor.call("MONITOR");
            client.call("MIGRATE", "127.0.0.1", "1", "nokey", "9", "5000", "AUTH2", "user", "password");
            String line = ((RespValue.SimpleString) monitor.readReply()).value();
            assertThat(line).endsWith("\"MIGRATE\" \"127.0.0.1\" \"1\" \"nokey\" \"9\" \"5000\" \"AUTH2\" \"(redacted)\" \"(redacted)\"");
        }
    }

    private static RespValue bulk(String s) {
        return new RespValue.BulkString(s.getBytes());
    }

    private static RespValue array(String... items) {
        return new RespValue.Array(List.of(items).stream().map(MigrateIT::bulk).toList());
    }
}
