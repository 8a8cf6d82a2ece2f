package io.rookery.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lettuce.core.GeoAddArgs;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoRadiusStoreArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.rookery.node.support.Lettuce;
import io.rookery.node.support.SharedNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Geo sets through Lettuce, RESP2 and RESP3: what a "stores near me" feature observes. */
class GeoIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static RedisCommands<String, String> sicily(Lettuce l) {
        RedisCommands<String, String> r = l.sync();
        r.flushall();
        assertThat(r.geoadd("Sicily", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania")).isEqualTo(2);
        return r;
    }

    @ParameterizedTest(name = "GEOADD stores 52-bit geohash scores in a sorted set and honours NX, XX and CH ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void geoaddScores(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = sicily(l);
            assertThat(r.type("Sicily")).isEqualTo("zset");
            assertThat(r.zscore("Sicily", "Palermo")).isEqualTo(3479099956230698.0);
            assertThat(r.zscore("Sicily", "Catania")).isEqualTo(3479447370796909.0);
            assertThat(r.geoadd("Sicily", 13.361389, 38.115556, "Palermo")).isZero();
            assertThat(r.geoadd("Sicily", GeoAddArgs.Builder.ch(), 13.5, 38.1, "Palermo")).isEqualTo(1);
            assertThat(r.geoadd("Sicily", GeoAddArgs.Builder.nx(), 1.0, 1.0, "Palermo")).isZero();
            assertThat(r.geoadd("Sicily", GeoAddArgs.Builder.xx(), 1.0, 1.0, "Nowhere")).isZero();
            assertThat(r.zcard("Sicily")).isEqualTo(2);
            assertThatThrownBy(() -> r.geoadd("Sicily", 200, 100, "bad"))
                    .hasMessage("ERR invalid longitude,latitude pair 200.000000,100.000000");
        }
    }

    @ParameterizedTest(name = "GEOPOS, GEODIST and GEOHASH answer with Redis's digits ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void positionsAndDistances(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = sicily(l);
            List<GeoCoordinates> pos = r.geopos("Sicily", "Palermo", "nosuch");
            assertThat(pos.get(0).getX().doubleValue()).isEqualTo(13.36138933897018433);
            assertThat(pos.get(0).getY().doubleValue()).isEqualTo(38.11555639549629859);
            assertThat(pos.get(1)).isNull();
            assertThat(r.geodist("Sicily", "Palermo", "Catania", GeoArgs.Unit.m)).isEqualTo(166274.1516);
            assertThat(r.geodist("Sicily", "Palermo", "Catania", GeoArgs.Unit.km)).isEqualTo(166.2742);
            assertThat(r.geodist("Sicily", "Palermo", "nosuch", GeoArgs.Unit.km)).isNull();
            assertThat(r.geohash("Sicily", "Palermo", "Catania").stream().map(v -> v.getValue()).toList())
                    .containsExactly("sqc8b49rny0", "sqdtr74hyu0");
        }
    }

    @ParameterizedTest(name = "GEORADIUS and GEOSEARCH find members by radius and box, nearest first ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void searches(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = sicily(l);
            assertThat(r.georadius("Sicily", 15, 37, 100, GeoArgs.Unit.km)).containsExactly("Catania");
            assertThat(r.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km)).containsExactlyInAnyOrder("Palermo", "Catania");
            List<GeoWithin<String>> near = r.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km,
                    new GeoArgs().withDistance().withCoordinates().withHash().asc());
            assertThat(near).extracting(GeoWithin::getMember).containsExactly("Catania", "Palermo");
            assertThat(near.get(0).getDistance()).isEqualTo(56.4413);
            assertThat(near.get(0).getGeohash()).isEqualTo(3479447370796909L);
            assertThat(near.get(0).getCoordinates().getX().doubleValue()).isCloseTo(15.087269, within(1e-5));
            assertThat(r.georadiusbymember("Sicily", "Palermo", 200, GeoArgs.Unit.km, new GeoArgs().withCount(1).desc()))
                    .extracting(GeoWithin::getMember).containsExactly("Catania");
            assertThat(r.geosearch("Sicily", GeoSearch.fromCoordinates(15, 37), GeoSearch.byBox(400, 400, GeoArgs.Unit.km)))
                    .containsExactlyInAnyOrder("Palermo", "Catania");
            assertThat(r.geosearch("Sicily", GeoSearch.fromMember("Palermo"), GeoSearch.byRadius(100, GeoArgs.Unit.km)))
                    .containsExactly("Palermo");
            assertThatThrownBy(() -> r.georadiusbymember("Sicily", "nosuch", 1, GeoArgs.Unit.km))
                    .hasMessage("ERR could not decode requested zset member");
            assertThatThrownBy(() -> r.georadius("Sicily", 15, 37, -1, GeoArgs.Unit.km))
                    .hasMessage("ERR radius cannot be negative");
        }
    }

    @ParameterizedTest(name = "GEORADIUS STORE/STOREDIST and GEOSEARCHSTORE write sorted sets ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void stores(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = sicily(l);
            assertThat(r.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km,
                    new GeoRadiusStoreArgs<String>().withStore("hashes"))).isEqualTo(2);
            assertThat(r.zscore("hashes", "Palermo")).isEqualTo(3479099956230698.0);
            assertThat(r.georadius("Sicily", 15, 37, 200, GeoArgs.Unit.km,
                    new GeoRadiusStoreArgs<String>().withStoreDist("dists"))).isEqualTo(2);
            assertThat(r.zscore("dists", "Catania")).isCloseTo(56.4413, within(1e-4));
            assertThat(r.geosearchstore("near", "Sicily", GeoSearch.fromCoordinates(15, 37),
                    GeoSearch.byRadius(100, GeoArgs.Unit.km), new GeoArgs(), false)).isEqualTo(1);
            assertThat(r.zrange("near", 0, -1)).containsExactly("Catania");
            assertThat(r.geosearchstore("near", "Sicily", GeoSearch.fromCoordinates(0, 0),
                    GeoSearch.byRadius(1, GeoArgs.Unit.km), new GeoArgs(), false)).isZero();
            assertThat(r.exists("near")).isZero();
        }
    }

    @ParameterizedTest(name = "geo commands on a string reply WRONGTYPE, on a missing key nothing ({0})")
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void wrongTypeAndMissing(ProtocolVersion p) {
        try (Lettuce l = Lettuce.connect(node.port(), p)) {
            RedisCommands<String, String> r = l.sync();
            r.flushall();
            r.set("text", "x");
            assertThatThrownBy(() -> r.geoadd("text", 1, 1, "a")).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> r.geopos("text", "a")).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> r.georadius("text", 1, 1, 1, GeoArgs.Unit.km)).hasMessageStartingWith("WRONGTYPE");
            assertThat(r.georadius("nokey", 1, 1, 1, GeoArgs.Unit.km)).isEqualTo(Set.of());
            assertThat(r.geodist("nokey", "a", "b", GeoArgs.Unit.m)).isNull();
        }
    }
}
