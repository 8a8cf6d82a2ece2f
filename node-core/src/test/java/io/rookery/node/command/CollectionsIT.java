package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SortArgs;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Application-shaped use of lists, hashes, sets and sorted sets through Lettuce, RESP2 and RESP3. */
class CollectionsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    @ParameterizedTest(name = "a work queue on lists ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void queue(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.rpush("jobs", "j1", "j2", "j3");
            assertThat(r.lmove("jobs", "working", io.lettuce.core.LMoveArgs.Builder.leftRight())).isEqualTo("j1");
            assertThat(r.lrange("working", 0, -1)).containsExactly("j1");
            assertThat(r.blpop(1, "jobs")).isEqualTo(KeyValue.just("jobs", "j2"));
            assertThat(r.lpos("jobs", "j3")).isZero();
            assertThat(r.lmpop(io.lettuce.core.LMPopArgs.Builder.left().count(5), "nothing", "jobs"))
                    .isEqualTo(KeyValue.just("jobs", java.util.List.of("j3")));
            assertThat(r.exists("jobs")).isZero();
            r.set("text", "v");
            assertThatThrownBy(() -> r.lpush("text", "x")).hasMessageStartingWith("WRONGTYPE");
        }
    }

    @ParameterizedTest(name = "sessions on hashes ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void sessions(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.hset("session:1", Map.of("user", "ada", "visits", "1"));
            assertThat(r.hincrby("session:1", "visits", 2)).isEqualTo(3);
            assertThat(r.hgetall("session:1")).isEqualTo(Map.of("user", "ada", "visits", "3"));
            assertThat(r.hincrbyfloat("session:1", "score", 1.5)).isEqualTo(1.5);
            assertThat(r.hrandfieldWithvalues("session:1", 2)).hasSize(2);
            assertThat(r.hkeys("session:1")).containsExactlyInAnyOrder("user", "visits", "score");
            assertThat(r.hdel("session:1", "user", "visits", "score")).isEqualTo(3);
            assertThat(r.exists("session:1")).isZero();
        }
    }

    @ParameterizedTest(name = "tags on sets ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void tags(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.sadd("post:1", "java", "redis", "db");
            r.sadd("post:2", "redis", "cache");
            assertThat(r.sinter("post:1", "post:2")).containsExactly("redis");
            assertThat(r.sunion("post:1", "post:2")).containsExactlyInAnyOrder("java", "redis", "db", "cache");
            assertThat(r.sdiffstore("only1", "post:1", "post:2")).isEqualTo(2);
            assertThat(r.smismember("post:1", "java", "nope")).containsExactly(true, false);
            assertThat(r.sintercard("post:1", "post:2")).isOne();
            assertThat(r.spop("only1")).isIn("java", "db");
            assertThat(r.scard("only1")).isOne();
        }
    }

    @ParameterizedTest(name = "a leaderboard on sorted sets ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void leaderboard(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.zadd("board", ScoredValue.just(100, "ada"), ScoredValue.just(80, "bob"), ScoredValue.just(120, "cy"));
            assertThat(r.zincrby("board", 30, "bob")).isEqualTo(110.0);
            assertThat(r.zrevrange("board", 0, 1)).containsExactly("cy", "bob");
            assertThat(r.zrevrangeWithScores("board", 0, 0)).containsExactly(ScoredValue.just(120, "cy"));
            assertThat(r.zrangebyscore("board", Range.create(100, 115), Limit.create(0, 10))).containsExactly("ada", "bob");
            assertThat(r.zrank("board", "ada")).isZero();
            assertThat(r.zscore("board", "nobody")).isNull();
            assertThat(r.zadd("board", ZAddArgs.Builder.gt(), 50, "ada")).isZero();
            assertThat(r.zpopmax("board")).isEqualTo(ScoredValue.just(120, "cy"));
            assertThat(r.zunionstore("sum", "board", "board")).isEqualTo(2);
            assertThat(r.zscore("sum", "ada")).isEqualTo(200.0);
            assertThat(r.sort("board", SortArgs.Builder.alpha().desc())).containsExactly("bob", "ada");
        }
    }
}
