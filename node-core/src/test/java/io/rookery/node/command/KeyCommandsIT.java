package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.CopyArgs;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.TestNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generic key commands and expiry through Lettuce (RESP3). */
class KeyCommandsIT {
    private static TestNode node;
    private static Lettuce lettuce;
    private static RedisCommands<String, String> r;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        lettuce = Lettuce.connect(node.port(), ProtocolVersion.RESP3);
        r = lettuce.sync();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
        node.close();
    }

    @Test
    void expiredKeysDisappearWithoutBeingTouched() throws Exception {
        r.flushall();
        for (int i = 0; i < 500; i++) {
            r.psetex("volatile:" + i, 50, "v");
        }
        r.set("stays", "v");
        long deadline = System.currentTimeMillis() + 10_000;
        while (r.dbsize() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(r.dbsize()).as("the active expire cycle removed every expired key").isOne();
        assertThat(r.info("stats")).contains("expired_keys:500");
    }

    @Test
    void expiredKeysAreInvisibleAtOnce() throws Exception {
        r.flushall();
        r.psetex("short", 1, "v");
        Thread.sleep(5);
        assertThat(r.get("short")).isNull();
        assertThat(r.exists("short")).isZero();
        assertThat(r.ttl("short")).isEqualTo(-2);
    }

    @Test
    void expireOptionsFollowRedis() {
        r.flushall();
        r.set("k", "v");
        assertThat(r.expire("k", 100, ExpireArgs.Builder.xx())).isFalse();
        assertThat(r.expire("k", 100, ExpireArgs.Builder.nx())).isTrue();
        assertThat(r.expire("k", 50, ExpireArgs.Builder.gt())).isFalse();
        assertThat(r.expire("k", 50, ExpireArgs.Builder.lt())).isTrue();
        assertThat(r.ttl("k")).isBetween(49L, 50L);
        assertThat(r.expiretime("k")).isBetween(System.currentTimeMillis() / 1000 + 48, System.currentTimeMillis() / 1000 + 51);
        assertThat(r.persist("k")).isTrue();
        assertThat(r.ttl("k")).isEqualTo(-1);
    }

    @Test
    void scanVisitsEveryKeyOnceTheCursorReturnsToZero() {
        r.flushall();
        for (int i = 0; i < 2000; i++) {
            r.set("key:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, KeyScanArgs.Builder.limit(100).match("key:*"));
            seen.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        assertThat(seen).hasSize(2000);
        assertThat(r.keys("key:1999")).containsExactly("key:1999");
    }

    @Test
    void renameCopyMoveKeepValuesAndTtls() {
        r.flushall();
        r.setex("a", 100, "1");
        assertThat(r.rename("a", "b")).isEqualTo("OK");
        assertThat(r.ttl("b")).isPositive();
        assertThat(r.copy("b", "c")).isTrue();
        assertThat(r.copy("b", "c")).isFalse();
        assertThat(r.copy("b", "c", CopyArgs.Builder.replace(true))).isTrue();
        assertThat(r.copy("b", "c", CopyArgs.Builder.destinationDb(3))).isTrue();
        assertThat(r.move("c", 5)).isTrue();
        assertThat(r.exists("c")).isZero();
        assertThatThrownBy(() -> r.rename("nope", "x")).hasMessage("ERR no such key");
        assertThat(r.type("b")).isEqualTo("string");
        assertThat(r.type("nope")).isEqualTo("none");
        assertThat(r.randomkey()).isEqualTo("b");
    }

    @Test
    void dumpAndRestoreRoundTrip() {
        r.flushall();
        r.set("src", "x".repeat(300));
        byte[] payload = r.dump("src");
        assertThat(r.restore("dst", payload, RestoreArgs.Builder.ttl(100_000))).isEqualTo("OK");
        assertThat(r.get("dst")).isEqualTo("x".repeat(300));
        assertThat(r.pttl("dst")).isPositive();
        assertThatThrownBy(() -> r.restore("dst", payload, new RestoreArgs())).hasMessage("BUSYKEY Target key name already exists.");
        payload[2] ^= 0x55;
        assertThatThrownBy(() -> r.restore("other", payload, new RestoreArgs()))
                .hasMessage("ERR DUMP payload version or checksum are wrong");
    }

    @Test
    void objectReportsEncodingsAndIdleTime() {
        r.flushall();
        r.set("int", "123");
        r.set("emb", "hello");
        r.set("raw", "x".repeat(100));
        r.set("app", "a");
        r.append("app", "b");
        assertThat(r.objectEncoding("int")).isEqualTo("int");
        assertThat(r.objectEncoding("emb")).isEqualTo("embstr");
        assertThat(r.objectEncoding("raw")).isEqualTo("raw");
        assertThat(r.objectEncoding("app")).isEqualTo("raw");
        assertThat(r.objectIdletime("emb")).isBetween(0L, 1L);
        assertThat(r.objectRefcount("emb")).isOne();
    }

    @Test
    void databasesAreSeparateAndSwap() {
        r.flushall();
        r.set("k", "zero");
        r.select(1);
        assertThat(r.get("k")).isNull();
        r.set("k", "one");
        r.swapdb(0, 1);
        assertThat(r.get("k")).isEqualTo("zero");
        r.select(0);
        assertThat(r.get("k")).isEqualTo("one");
        assertThat(r.dbsize()).isOne();
        r.flushdb();
        assertThat(r.dbsize()).isZero();
        r.select(1);
        assertThat(r.dbsize()).isOne();
        r.select(0);
    }
}
