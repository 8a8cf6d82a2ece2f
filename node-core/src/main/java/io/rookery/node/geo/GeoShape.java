package io.rookery.node.geo;

/**
 * The area a geo search covers: a circle of {@code radius} or an axis-aligned box of
 * {@code width} × {@code height} around a centre, in a unit that is {@code toMeters} metres.
 *
 * @param longitude centre, degrees
 * @param latitude  centre, degrees
 * @param box       true for BYBOX, false for a radius
 * @param radius    the radius in the unit (circles)
 * @param width     the box's width in the unit
 * @param height    the box's height in the unit
 * @param toMeters  metres per unit (m 1, km 1000, ft 0.3048, mi 1609.34)
 */
public record GeoShape(double longitude, double latitude, boolean box, double radius, double width, double height,
                       double toMeters) {

    public static GeoShape circle(double longitude, double latitude, double radius, double toMeters) {
        return new GeoShape(longitude, latitude, false, radius, 0, 0, toMeters);
    }

    public static GeoShape box(double longitude, double latitude, double width, double height, double toMeters) {
        return new GeoShape(longitude, latitude, true, 0, width, height, toMeters);
    }

    /**
     * The distance in metres from the centre to the point when the point is inside the shape, or
     * NaN when it is outside (Redis's geoWithinShape: a box checks the latitude distance, then the
     * longitude distance along the point's parallel).
     */
    public double distanceIfInside(double lon, double lat) {
        if (!box) {
            double d = Haversine.distance(longitude, latitude, lon, lat);
            return d > radius * toMeters ? Double.NaN : d;
        }
        double widthM = width * toMeters;
        double heightM = height * toMeters;
        if (Haversine.latitudeDistance(lat, latitude) > heightM / 2) {
            return Double.NaN;
        }
        if (Haversine.distance(lon, lat, longitude, lat) > widthM / 2) {
            return Double.NaN;
        }
        return Haversine.distance(longitude, latitude, lon, lat);
    }

    /** {minLong, minLat, maxLong, maxLat}: the bounding box in degrees (geohashBoundingBox). */
    double[] boundingBox() {
        double h = toMeters * (box ? height / 2 : radius);
        double w = toMeters * (box ? width / 2 : radius);
        double latDelta = Haversine.toDegrees(h / Haversine.EARTH_RADIUS_METERS);
        double longDeltaTop = Haversine.toDegrees(
                w / Haversine.EARTH_RADIUS_METERS / StrictMath.cos(Haversine.toRadians(latitude + latDelta)));
        double longDeltaBottom = Haversine.toDegrees(
                w / Haversine.EARTH_RADIUS_METERS / StrictMath.cos(Haversine.toRadians(latitude - latDelta)));
        boolean southern = latitude < 0;
        return new double[] {
                southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
                latitude - latDelta,
                southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
                latitude + latDelta};
    }

    /** The radius, in metres, that the search cells must cover: the circle's, or the box's half-diagonal. */
    double coverRadiusMeters() {
        double r = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        return r * toMeters;
    }
}
