package io.rookery.node.command;

import static io.rookery.node.config.KeyspaceEventFlags.GENERIC;
import static io.rookery.node.config.KeyspaceEventFlags.ZSET;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.geo.GeoFormat;
import io.rookery.node.geo.GeoHash;
import io.rookery.node.geo.GeoSearchArea;
import io.rookery.node.geo.GeoShape;
import io.rookery.node.keyspace.Database;
import io.rookery.node.types.TypeContext;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Geo commands (Redis's geo.c). A geo set is a sorted set whose scores are 52-bit geohashes
 * ({@link GeoHash}); GEOADD is ZADD with those scores (and propagates as ZADD), the searches scan the
 * score ranges of the cells around the centre ({@link GeoSearchArea}) and keep the members inside the
 * shape.
 */
final class GeoCommands extends CommandGroup {

    private final TypeContext types;
    private CommandRegistry registry;

    GeoCommands(CommandBasics basics, TypeContext types) {
        super(basics);
        this.types = types;
    }

    void register(CommandRegistry r) {
        this.registry = r;
        r.register("geoadd", this::geoadd)
                .register("geodist", this::geodist)
                .register("geohash", this::geohash)
                .register("geopos", this::geopos)
                .register("georadius", (c, a) -> search(c, a, 1, Variant.RADIUS_COORDS, true))
                .register("georadius_ro", (c, a) -> search(c, a, 1, Variant.RADIUS_COORDS, false))
                .register("georadiusbymember", (c, a) -> search(c, a, 1, Variant.RADIUS_MEMBER, true))
                .register("georadiusbymember_ro", (c, a) -> search(c, a, 1, Variant.RADIUS_MEMBER, false))
                .register("geosearch", (c, a) -> search(c, a, 1, Variant.SEARCH, false))
                .register("geosearchstore", (c, a) -> search(c, a, 2, Variant.SEARCH_STORE, false));
    }

    // ---------------------------------------------------------------- GEOADD

    // GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
    private void geoadd(Client c, byte[][] a) {
        boolean nx = false, xx = false;
        int first = 2;
        for (; first < a.length; first++) {
            if (Args.is(a[first], "NX")) {
                nx = true;
            } else if (Args.is(a[first], "XX")) {
                xx = true;
            } else if (!Args.is(a[first], "CH")) {
                break;
            }
        }
        if ((a.length - first) % 3 != 0 || (xx && nx)) {
            throw Errors.syntax();
        }
        int elements = (a.length - first) / 3;
        byte[][] zadd = new byte[first + elements * 2][];
        zadd[0] = bytes("zadd");
        System.arraycopy(a, 1, zadd, 1, first - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = longLat(a, first + i * 3);
            zadd[first + i * 2] = bytes(Long.toString(GeoHash.score(xy[0], xy[1])));
            zadd[first + i * 2 + 1] = a[first + i * 3 + 2];
        }
        long before = dispatcher.dirty();
        registry.get("zadd").handler().execute(c, zadd);
        if (dispatcher.dirty() != before) {
            propagateAs(c, zadd);
        }
    }

    // ---------------------------------------------------------------- GEODIST, GEOHASH, GEOPOS

    // GEODIST key member1 member2 [M | KM | FT | MI]
    private void geodist(Client c, byte[][] a) {
        double toMeters = 1;
        if (a.length == 5) {
            toMeters = unit(a[4]);
        } else if (a.length > 5) {
            throw Errors.syntax();
        }
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        Double s1 = z == null ? null : z.score(a[2]);
        Double s2 = z == null ? null : z.score(a[3]);
        if (s1 == null || s2 == null) {
            c.reply().nullBulk();
            return;
        }
        double[] p1 = GeoHash.decodeScore(s1);
        double[] p2 = GeoHash.decodeScore(s2);
        c.reply().bulk(GeoFormat.distance(
                io.rookery.node.geo.Haversine.distance(p1[0], p1[1], p2[0], p2[1]) / toMeters));
    }

    private void geohash(Client c, byte[][] a) {
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        c.reply().array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            Double s = z == null ? null : z.score(a[i]);
            if (s == null) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk(GeoHash.standardString(s));
            }
        }
    }

    private void geopos(Client c, byte[][] a) {
        ZSetValue z = typed(db(c), a[1], ZSetValue.class, false);
        c.reply().array(a.length - 2);
        for (int i = 2; i < a.length; i++) {
            Double s = z == null ? null : z.score(a[i]);
            if (s == null) {
                c.reply().nullArray();
            } else {
                double[] xy = GeoHash.decodeScore(s);
                c.reply().array(2);
                coordinate(c.reply(), xy[0]);
                coordinate(c.reply(), xy[1]);
            }
        }
    }

    // ---------------------------------------------------------------- searches

    private enum Variant { RADIUS_COORDS, RADIUS_MEMBER, SEARCH, SEARCH_STORE }

    /** A member found inside the shape: its decoded position, distance in metres and stored score. */
    private record Found(byte[] member, double longitude, double latitude, double distance, double score) {
    }

    /**
     * GEORADIUS key longitude latitude radius unit [options] / GEORADIUSBYMEMBER key member radius unit
     * [options] / GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [options] / GEOSEARCHSTORE
     * dest src ... [STOREDIST]. Options: WITHCOORD WITHDIST WITHHASH, COUNT n [ANY], ASC|DESC and, for
     * GEORADIUS*, STORE key / STOREDIST key. Arguments are checked in Redis's order, so the first error
     * is the one Redis reports.
     */
    private void search(Client c, byte[][] a, int srcIndex, Variant variant, boolean storeAllowed) {
        Database db = db(c);
        ZSetValue z = typed(db, a[srcIndex], ZSetValue.class, false);
        boolean geosearch = variant == Variant.SEARCH || variant == Variant.SEARCH_STORE;
        double lon = 0, lat = 0;
        double radius = 0, width = 0, height = 0, toMeters = 1;
        boolean box = false;
        byte[] storeKey = null;
        boolean storeDist = false;
        int base;
        if (variant == Variant.RADIUS_COORDS) {
            base = 6;
            double[] xy = longLat(a, 2);
            lon = xy[0];
            lat = xy[1];
            radius = radius(a[4]);
            toMeters = unit(a[5]);
        } else if (variant == Variant.RADIUS_MEMBER) {
            base = 5;
            if (z != null) {
                double[] xy = memberPosition(z, a[2]);
                lon = xy[0];
                lat = xy[1];
                radius = radius(a[3]);
                toMeters = unit(a[4]);
            }
        } else {
            base = 2;
            if (variant == Variant.SEARCH_STORE) {
                base = 3;
                storeKey = a[1];
            }
        }

        boolean withDist = false, withHash = false, withCoord = false;
        boolean fromMember = false, fromLonLat = false, byRadius = false, byBox = false;
        int sort = 0; // 0 none, 1 ascending, 2 descending
        boolean any = false;
        long count = 0;
        int remaining = a.length - base;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = a[base + i];
            if (Args.is(arg, "WITHDIST")) {
                withDist = true;
            } else if (Args.is(arg, "WITHHASH")) {
                withHash = true;
            } else if (Args.is(arg, "WITHCOORD")) {
                withCoord = true;
            } else if (Args.is(arg, "ANY")) {
                any = true;
            } else if (Args.is(arg, "ASC")) {
                sort = 1;
            } else if (Args.is(arg, "DESC")) {
                sort = 2;
            } else if (Args.is(arg, "COUNT") && i + 1 < remaining) {
                count = Args.integer(a[base + i + 1]);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if ((Args.is(arg, "STORE") || Args.is(arg, "STOREDIST")) && i + 1 < remaining
                    && storeAllowed && !geosearch) {
                storeKey = a[base + i + 1];
                storeDist = Args.is(arg, "STOREDIST");
                i++;
            } else if (Args.is(arg, "STOREDIST") && variant == Variant.SEARCH_STORE) {
                storeDist = true;
            } else if (Args.is(arg, "FROMMEMBER") && i + 1 < remaining && geosearch && !fromLonLat) {
                if (z != null) {
                    double[] xy = memberPosition(z, a[base + i + 1]);
                    lon = xy[0];
                    lat = xy[1];
                }
                fromMember = true;
                i++;
            } else if (Args.is(arg, "FROMLONLAT") && i + 2 < remaining && geosearch && !fromMember) {
                double[] xy = longLat(a, base + i + 1);
                lon = xy[0];
                lat = xy[1];
                fromLonLat = true;
                i += 2;
            } else if (Args.is(arg, "BYRADIUS") && i + 2 < remaining && geosearch && !byBox) {
                radius = radius(a[base + i + 1]);
                toMeters = unit(a[base + i + 2]);
                byRadius = true;
                i += 2;
            } else if (Args.is(arg, "BYBOX") && i + 3 < remaining && geosearch && !byRadius) {
                width = number(a[base + i + 1], "ERR need numeric width");
                height = number(a[base + i + 2], "ERR need numeric height");
                if (height < 0 || width < 0) {
                    throw new CommandError("ERR height or width cannot be negative");
                }
                toMeters = unit(a[base + i + 3]);
                box = true;
                byBox = true;
                i += 3;
            } else {
                throw Errors.syntax();
            }
        }

        if (storeKey != null && (withDist || withHash || withCoord)) {
            throw new CommandError("ERR " + (variant == Variant.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String name = new String(a[0], StandardCharsets.UTF_8);
        if (geosearch && !(fromMember || fromLonLat)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (geosearch && !(byRadius || byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }

        if (z == null) {
            if (storeKey != null) {
                if (db.delete(storeKey)) {
                    notify(c, GENERIC, "del", storeKey);
                    dirty(1);
                }
                c.reply().integer(0);
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        if (count != 0 && sort == 0 && !any) {
            sort = 1;
        }

        GeoShape shape = box ? GeoShape.box(lon, lat, width, height, toMeters)
                : GeoShape.circle(lon, lat, radius, toMeters);
        List<Found> found = scan(z, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            c.reply().emptyArray();
            return;
        }
        if (sort != 0) {
            Comparator<Found> byDistance = Comparator.comparingDouble(Found::distance);
            found.sort(sort == 1 ? byDistance : byDistance.reversed());
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (storeKey == null) {
            reply(c.reply(), found, returned, toMeters, withDist, withHash, withCoord);
        } else {
            store(c, db, storeKey, found, returned, toMeters, storeDist, geosearch);
        }
    }

    /** Members inside the shape, cell by cell in Redis's order; with a limit (ANY) it stops once it has enough. */
    private static List<Found> scan(ZSetValue z, GeoShape shape, long limit) {
        List<Found> out = new ArrayList<>();
        for (GeoSearchArea.ScoreRange range : GeoSearchArea.ranges(shape)) {
            if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                break;
            }
            int from = z.countScoreBefore(range.min(), false);
            int to = z.countScoreBefore(range.max(), false) - 1;
            for (ZSetValue.Entry e : z.range(from, to, false)) {
                double[] xy = GeoHash.decodeScore(e.score());
                double distance = shape.distanceIfInside(xy[0], xy[1]);
                if (!Double.isNaN(distance)) {
                    out.add(new Found(e.member(), xy[0], xy[1], distance, e.score()));
                }
                if (!out.isEmpty() && limit != 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static void reply(RespWriter w, List<Found> found, int returned, double toMeters, boolean withDist,
            boolean withHash, boolean withCoord) {
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
        w.array(returned);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            if (options > 0) {
                w.array(options + 1);
            }
            w.bulk(f.member());
            if (withDist) {
                w.bulk(GeoFormat.distance(f.distance() / toMeters));
            }
            if (withHash) {
                w.integer((long) f.score());
            }
            if (withCoord) {
                w.array(2);
                coordinate(w, f.longitude());
                coordinate(w, f.latitude());
            }
        }
    }

    private void store(Client c, Database db, byte[] key, List<Found> found, int returned, double toMeters,
            boolean storeDist, boolean geosearch) {
        if (returned == 0) {
            if (db.delete(key)) {
                notify(c, GENERIC, "del", key);
                dirty(1);
            }
            c.reply().integer(0);
            return;
        }
        ZSetValue result = new ZSetValue(types);
        for (int i = 0; i < returned; i++) {
            Found f = found.get(i);
            result.put(f.member(), storeDist ? f.distance() / toMeters : f.score());
        }
        db.set(key, result);
        notify(c, ZSET, geosearch ? "geosearchstore" : "georadiusstore", key);
        dirty(returned);
        c.reply().integer(returned);
    }

    // ---------------------------------------------------------------- argument parsing

    /** The longitude and latitude at {@code a[at]}, {@code a[at+1]}, checked against Redis's limits. */
    private static double[] longLat(byte[][] a, int at) {
        double lon = number(a[at], Errors.NOT_FLOAT);
        double lat = number(a[at + 1], Errors.NOT_FLOAT);
        if (!GeoHash.valid(lon, lat)) {
            throw new CommandError("ERR invalid longitude,latitude pair " + cFixed(lon) + "," + cFixed(lat));
        }
        return new double[] {lon, lat};
    }

    /** C's {@code %f}. */
    private static String cFixed(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return new java.math.BigDecimal(d).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double[] memberPosition(ZSetValue z, byte[] member) {
        Double score = z.score(member);
        if (score == null) {
            throw new CommandError("ERR could not decode requested zset member");
        }
        return GeoHash.decodeScore(score);
    }

    private static double radius(byte[] arg) {
        double r = number(arg, "ERR need numeric radius");
        if (r < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return r;
    }

    private static double number(byte[] arg, String error) {
        Double d = DoubleFormat.parse(arg);
        if (d == null || d.isNaN()) {
            throw new CommandError(error);
        }
        return d;
    }

    /** Metres per unit: m, km, ft, mi (any case). */
    private static double unit(byte[] arg) {
        if (Args.is(arg, "M")) {
            return 1;
        } else if (Args.is(arg, "KM")) {
            return 1000;
        } else if (Args.is(arg, "FT")) {
            return 0.3048;
        } else if (Args.is(arg, "MI")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /** A coordinate: a bulk string in RESP2, a RESP3 double, both with Redis's "human" digits. */
    private static void coordinate(RespWriter w, double d) {
        String text = GeoFormat.coordinate(d);
        if (w.resp3()) {
            w.raw((',' + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            w.bulk(text);
        }
    }
}
