package io.rookery.node.geo;

/**
 * Great-circle distances as Redis computes them (geohash_helper.c): the haversine formula on a sphere
 * of radius 6372797.560856 m, with the shortcut for points on one meridian.
 */
public final class Haversine {
    public static final double EARTH_RADIUS_METERS = 6372797.560856;
    private static final double DEG_TO_RAD = Math.PI / 180.0;

    private Haversine() {
    }

    static double toRadians(double degrees) {
        return degrees * DEG_TO_RAD;
    }

    static double toDegrees(double radians) {
        return radians / DEG_TO_RAD;
    }

    /** Metres between two latitudes on one meridian. */
    public static double latitudeDistance(double lat1, double lat2) {
        return EARTH_RADIUS_METERS * Math.abs(toRadians(lat2) - toRadians(lat1));
    }

    /** Metres between two points given as longitude, latitude in degrees. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double v = StrictMath.sin((toRadians(lon2) - toRadians(lon1)) / 2);
        if (v == 0.0) {
            return latitudeDistance(lat1, lat2);
        }
        double lat1r = toRadians(lat1);
        double lat2r = toRadians(lat2);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_METERS * StrictMath.asin(StrictMath.sqrt(a));
    }
}
